use py::math;

mod inner {
    // Child modules do not see the parent's imports...
    fn f() {
        math::sqrt(1.0);
    }
    // ...but reach the adapters through `super`.
    use super::py::json;
    fn g() {
        json::loads("1");
        super::super::py::statistics::mode(vec![1]);
    }
    mod deeper {
        use crate::py::fractions as fr;
        fn h() {
            fr::Fraction::new();
        }
    }
}

fn top() {
    math::tau();
}
