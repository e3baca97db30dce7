const ROOT: () = {
    let _ = py::math::sqrt;
};

static TABLE: [fn(f64) -> f64; 0] = [];

impl Thing {
    const VALUE: fn() = || {
        py::json::dumps(1);
    };
}

extern "C" {
    fn external();
}

union U {
    x: u32,
}
