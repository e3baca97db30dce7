//! The example prints what Python prints for the same integrals.

#[path = "../../prints_like_python.rs"]
mod prints_like_python;

const PYTHON: &str = r#"
import sympy
x = sympy.Symbol("x")
integrands = ["x**2", "sin(x)*cos(x)", "x*exp(x)", "1/(1 + x**2)", "log(x)",
              "sin(x)**2", "x**3*exp(-x)", "cos(x)**3", "x*sin(x)", "sqrt(x)"]
for integrand in integrands:
    print(f"integrate({integrand}, x) = {sympy.integrate(sympy.sympify(integrand), x)}")
try:
    sympy.integrate(sympy.sympify("x +* 2"), x)
except Exception as error:
    print(f"integrate(x +* 2, x) -> {type(error).__name__}")
print(f"jobs done on the pool: {len(integrands)}")
"#;

#[test]
fn the_example_prints_what_python_computes() {
    prints_like_python::assert_prints_like_python(env!("CARGO_BIN_EXE_pool"), PYTHON, 12);
}
