//! The example prints what sympy prints for the same expressions.

#[path = "../../prints_like_python.rs"]
mod prints_like_python;

const PYTHON: &str = r#"
from sympy import sqrt, Matrix, Piecewise, Poly, Rational, S, Symbol, cos, diff, exp, expand, factor, integrate, lambdify, primerange, simplify, sin, solve, true
x, y = Symbol("x"), Symbol("y")
print(f"expand((x + 1)**2) = {expand((x + 1)**2)}")
print(f"factor(x**2 - y**2) = {factor(x**2 - y**2)}")
print(f"diff(x**3 + 2*x, x) = {diff(x**3 + 2*x, x)}")
print(f"integrate(x**2, x) = {integrate(x**2, x)}")
print(f"solve(x**2 - 4, x) = {solve(x**2 - 4, x)}")
m = Matrix([[1, 2], [3, 4]])
print(f"Matrix([[1, 2], [3, 4]]).det() = {m.det()}")
print(f"Matrix([[1, 2], [3, 4]]).inv() = {m.inv()}")
print(f"Matrix([[1, 2], [3, 4]])**2 = {m.pow(2)}")
print(f"diff(sin(x)*exp(x), x) = {diff(sin(x)*exp(x), x)}")
print(f"simplify(sin(x)**2 + cos(x)**2) = {simplify(sin(x)**2 + cos(x)**2)}")
print(f"Rational(3, 6) = {Rational(3, 6)}")
z = Symbol("z")
print(f"Poly(z**2 + 1).degree() = {Poly(z**2 + 1).degree()}")
print(f"lambdify(x, x**2 + 1)(3) = {lambdify(x, x**2 + 1)(3)}")
print(f"list(primerange(1, 20)) = {list(primerange(1, 20))}")
print(f"S(1)/2 = {S(1)/2}")
print(f"Piecewise((-x, x < 0), (x, True)) = {Piecewise((-x, x < 0), (x, true))}")
print(f"(x*y + x).subs({{x: 2, y: 3}}) = {(x*y + x).subs({x: 2, y: 3})}")
solution = solve([x + y - 3, x - y - 1], [x, y])
print(f"solve([x + y - 3, x - y - 1], [x, y]): x = {solution[x]}, y = {solution[y]}")
print(f"Rational(1, 3) = {Rational(1, 3)}")
print(f"diff(x**3 + 2*x, x, 2) = {diff(x**3 + 2*x, x, 2)}")
print(f"Matrix([[1, 2], [3, 4]]).det('berkowitz') = {m.det('berkowitz')}")
print(f"list(primerange(2, 20)) = {list(primerange(2, 20))}")
print(f"sqrt(2).evalf(20) = {sqrt(2).evalf(20)}")
print(f"sqrt(2).evalf(n=5) = {sqrt(2).evalf(n=5)}")
print(f"(x**2 + y).subs(x, 3) = {(x**2 + y).subs(x, 3)}")
"#;

#[test]
fn the_example_prints_what_sympy_computes() {
    prints_like_python::assert_prints_like_python(env!("CARGO_BIN_EXE_symbolic"), PYTHON, 25);
}
