//! sympy from Rust: symbols, expansion, factoring, calculus, solving and
//! matrices. Every value printed here is computed by sympy.

mod py;

use py::sympy::{self, Matrix, Symbol};

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
        sympy::diff_with(&cubic).symbols([&x]).call()?
    );
    println!(
        "integrate(x**2, x) = {}",
        sympy::integrate_with()
            .args([x.pow(2)?, x.pow(1)?])
            .call()?
    );
    println!(
        "solve(x**2 - 4, x) = {}",
        sympy::solve_with(x.pow(2)?.sub(4)?).symbols([&x]).call()?
    );

    let matrix = Matrix::new_with()
        .args([vec![vec![1, 2], vec![3, 4]]])
        .call()?;
    println!("Matrix([[1, 2], [3, 4]]).det() = {}", matrix.det()?);
    println!("Matrix([[1, 2], [3, 4]]).inv() = {}", matrix.inv()?);
    Ok(())
}
