//! scipy from Rust, one section per topic. Every value printed is computed
//! by scipy; the tests compare the output with a Python script that does
//! the same.

mod py;

use py::numpy as np;
use py::scipy::{integrate, optimize};
use snakegen::callback;

fn main() -> snakegen::Result<()> {
    callbacks()?;
    arrays()
}

/// Rust closures as the functions scipy minimises, solves, fits and
/// integrates.
fn callbacks() -> snakegen::Result<()> {
    // A closure of a numpy array: the array arrives as a `Vec<f64>`.
    let rosenbrock = |x: Vec<f64>| {
        (1.0 - x[0]) * (1.0 - x[0]) + 100.0 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
    };
    let minimum = optimize::with::minimize(callback(rosenbrock), vec![-1.2, 1.0])
        .method("Nelder-Mead")
        .call()?;
    let x: Vec<f64> = minimum.getattr("x")?.extract()?;
    println!("minimize(rosenbrock) = [{:.4}, {:.4}]", x[0], x[1]);

    let scalar = optimize::minimize_scalar(callback(|x: f64| (x - 2.0).powi(4) - x))?;
    let x: f64 = scalar.getattr("x")?.extract()?;
    println!("minimize_scalar((x - 2)^4 - x) = {x:.6}");

    let root: f64 =
        optimize::brentq(callback(|x: f64| x * x * x - 2.0 * x - 5.0), 2.0, 3.0)?.extract()?;
    println!("brentq(x^3 - 2x - 5, 2, 3) = {root:.10}");

    // `callback!` names the parameters as the closure does: curve_fit
    // counts them (two to fit after `x`), so no `p0` is needed.
    let xs: Vec<f64> = (0..20).map(|i| f64::from(i) * 0.5).collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|x| 2.5 * (-0.3 * x).exp() + 0.01 * (7.0 * x).sin())
        .collect();
    let model = snakegen::callback!(|x: Vec<f64>, a: f64, b: f64| {
        x.iter().map(|x| a * (-b * x).exp()).collect::<Vec<f64>>()
    });
    let (fitted, _covariance): (Vec<f64>, snakegen::Object) =
        optimize::curve_fit(model, &xs, &ys)?.extract()?;
    println!(
        "curve_fit(a * exp(-b x)) = a {:.4}, b {:.4}",
        fitted[0], fitted[1]
    );

    let (integral, _error): (f64, f64) =
        integrate::quad(callback(|x: f64| x.sin() * (-x).exp()), 0.0, 3.0)?.extract()?;
    println!("quad(sin(x) exp(-x), 0, 3) = {integral:.8}");

    // A closure of `(t, y)`, returning dy/dt.
    let decay = callback(|_t: f64, y: Vec<f64>| vec![-0.5 * y[0], y[0] - 0.25 * y[1]]);
    let solution = integrate::with::solve_ivp(decay, (0.0, 4.0), vec![2.0, 0.0])
        .t_eval(vec![1.0, 2.0, 4.0])
        .call()?;
    let y: Vec<Vec<f64>> = solution.getattr("y")?.extract()?;
    for (name, values) in ["y0", "y1"].iter().zip(&y) {
        let shown: Vec<String> = values.iter().map(|v| format!("{v:.4}")).collect();
        println!("solve_ivp {name} at t = 1, 2, 4: {}", shown.join(", "));
    }
    Ok(())
}

/// A million floats to numpy and back without a Python list, and numpy
/// working in place on Rust's memory.
fn arrays() -> snakegen::Result<()> {
    let xs: Vec<f64> = (0..1_000_000).map(|i| f64::from(i) * 1e-6).collect();
    // One memcpy in, one copy of the result's buffer out.
    let sines = np::sin(snakegen::numpy_array(&xs))?;
    let back: Vec<f64> = sines.extract()?;
    println!(
        "sin over 1e6 points: sum {:.6}, last {:.12}",
        back.iter().sum::<f64>(),
        back[back.len() - 1]
    );
    let mut data = vec![3.0, 1.0, 2.0];
    snakegen::lend_to_numpy(&mut data, |array| {
        array.call_method("sort", ())?;
        Ok(())
    })?;
    println!("sorted in place by numpy: {data:?}");
    Ok(())
}
