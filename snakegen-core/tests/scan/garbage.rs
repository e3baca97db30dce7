}} py::math::sqrt {{ (( ]
