mod stats {
    use crate::py::statistics::*;
    use super::py::numpy::linalg::*;

    fn f() {
        mean(vec![1.0]);
        norm(1);
        NormalDist::new();
    }
}

use py::os::*;

fn g() {
    getcwd();
}
