mod a {
    mod b {
        mod c {
            fn f() {
                super::super::super::py::math::sqrt(2.0);
                self::super::super::super::py::json::dumps(1);
            }
        }
    }
}
