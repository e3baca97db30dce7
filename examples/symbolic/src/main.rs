//! sympy from Rust: symbols, expansion, factoring, calculus, solving and
//! matrices. Every value printed here is computed by sympy.

mod py;

use py::sympy::{self, Matrix, Piecewise, Poly, Rational, S, Symbol, cos, exp, sin};
use std::collections::HashMap;

use snakegen::{CompareOp, Object, call};

fn main() -> snakegen::Result<()> {
    let x = Symbol::new("x")?;
    let y = Symbol::new("y")?;

    let square = x.add(1)?.pow(2)?;
    println!("expand((x + 1)**2) = {}", sympy::expand(&square)?);
    println!(
        "factor(x**2 - y**2) = {}",
        sympy::factor(x.pow(2)?.sub(y.pow(2)?)?)?
    );

    let cubic = x.pow(3)?.add(x.mul(2)?)?;
    println!(
        "diff(x**3 + 2*x, x) = {}",
        sympy::with::diff(&cubic).symbols([&x]).call()?
    );
    println!(
        "integrate(x**2, x) = {}",
        sympy::with::integrate()
            .args([x.pow(2)?, x.pow(1)?])
            .call()?
    );
    println!(
        "solve(x**2 - 4, x) = {}",
        sympy::with::solve(x.pow(2)?.sub(4)?).symbols([&x]).call()?
    );

    let matrix = Matrix::new_with()
        .args([vec![vec![1, 2], vec![3, 4]]])
        .call()?;
    println!("Matrix([[1, 2], [3, 4]]).det() = {}", matrix.det()?);
    println!("Matrix([[1, 2], [3, 4]]).inv() = {}", matrix.inv()?);
    // A method whose parameter is named like a class of the module
    // (`Matrix.pow(exp)` next to `sympy.exp`).
    println!("Matrix([[1, 2], [3, 4]])**2 = {}", matrix.pow(2)?);

    // sympy's functions are classes; they are called as in Python.
    let wave = sin(&x)?.mul(exp(&x)?)?;
    println!(
        "diff(sin(x)*exp(x), x) = {}",
        sympy::with::diff(&wave).symbols([&x]).call()?
    );
    println!(
        "simplify(sin(x)**2 + cos(x)**2) = {}",
        sympy::simplify(sin(&x)?.pow(2)?.add(cos(&x)?.pow(2)?)?)?
    );
    println!("Rational(3, 6) = {}", Rational::new_with(3).q(6).call()?);
    let z = Symbol("z")?;
    println!(
        "Poly(z**2 + 1).degree() = {}",
        Poly(z.pow(2)?.add(1)?)?.degree()?
    );
    // `lambdify` reads its caller's frame, which a call from Rust lacks:
    // the runtime calls it from a Python frame.
    let square_plus_one = sympy::lambdify(&x, x.pow(2)?.add(1)?)?;
    println!("lambdify(x, x**2 + 1)(3) = {}", square_plus_one.call((3,))?);
    // A generator result converts to a `Vec` as `list(..)` would.
    let primes: Vec<i64> = sympy::with::primerange(1).b(20).call()?.extract()?;
    println!("list(primerange(1, 20)) = {primes:?}");
    // `S` is an instance whose `__call__` is `staticmethod(sympify)`.
    println!("S(1)/2 = {}", S(1)?.div(2)?);
    // Comparisons as Python's objects: a sympy relational.
    let pieces = Piecewise([
        (x.neg()?, x.rich_compare(CompareOp::Lt, 0)?),
        (x.clone().into(), sympy::r#true()?),
    ])?;
    println!("Piecewise((-x, x < 0), (x, True)) = {pieces}");
    // Objects are `HashMap` keys by Python's `==` and `hash()`: a dict
    // argument, and a dict result read back.
    let values = HashMap::from([(Object::from(x.clone()), 2), (Object::from(y.clone()), 3)]);
    println!(
        "(x*y + x).subs({{x: 2, y: 3}}) = {}",
        x.mul(&y)?.add(&x)?.call_method("subs", (values,))?
    );
    let system = vec![x.add(&y)?.sub(3)?, x.sub(&y)?.sub(1)?];
    let solution: HashMap<Object, Object> = sympy::with::solve(system)
        .symbols([&x, &y])
        .call()?
        .extract()?;
    println!(
        "solve([x + y - 3, x - y - 1], [x, y]): x = {}, y = {}",
        solution[&*x], solution[&*y]
    );
    // `call!` passes positional arguments as Python does, optional ones
    // too (`Rational`'s `q`, `det`'s `method`), and `*symbols`.
    println!("Rational(1, 3) = {}", call!(sympy::Rational(1, 3))?);
    println!(
        "diff(x**3 + 2*x, x, 2) = {}",
        call!(sympy::diff(&cubic, &x, 2))?
    );
    println!(
        "Matrix([[1, 2], [3, 4]]).det('berkowitz') = {}",
        call!(matrix.det("berkowitz"))?
    );
    println!(
        "list(primerange(2, 20)) = {:?}",
        call!(sympy::primerange(2, 20))?.extract::<Vec<i64>>()?
    );
    // `call!` on a method of an untyped result (an `Object`) calls it by
    // name, keywords included.
    let root_two = sympy::sqrt(2)?;
    println!("sqrt(2).evalf(20) = {}", call!(root_two.evalf(20))?);
    println!("sqrt(2).evalf(n=5) = {}", call!(root_two.evalf(n = 5))?);
    println!(
        "(x**2 + y).subs(x, 3) = {}",
        call!(x.pow(2)?.add(&y)?.subs(&x, 3))?
    );
    Ok(())
}
