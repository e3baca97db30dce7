//! A batch of sympy integrals, computed in-process and on a pool of worker
//! processes: the same results, each line what Python prints.

mod py;

use py::sympy::{self, Symbol};
use snakegen::pool::{Job, Jobs, Pool};

/// `∫ integrand dx`, as sympy prints it. The job the workers run is this
/// plain function, typed adapters and all.
fn integrate(integrand: String) -> snakegen::Result<String> {
    let x = Symbol::new("x")?;
    let integrand = sympy::sympify(integrand)?;
    Ok(sympy::with::integrate()
        .args([integrand, x.into()])
        .call()?
        .to_string())
}

static INTEGRATE: Job<String, String> = Job::new("integrate", integrate);
static JOBS: Jobs = Jobs::new(&[&INTEGRATE]);

const INTEGRANDS: [&str; 10] = [
    "x**2",
    "sin(x)*cos(x)",
    "x*exp(x)",
    "1/(1 + x**2)",
    "log(x)",
    "sin(x)**2",
    "x**3*exp(-x)",
    "cos(x)**3",
    "x*sin(x)",
    "sqrt(x)",
];

fn main() -> snakegen::Result<()> {
    // In a worker, this serves jobs and never returns.
    JOBS.serve_if_worker();

    let in_process = INTEGRANDS
        .iter()
        .map(|integrand| integrate(integrand.to_string()))
        .collect::<snakegen::Result<Vec<_>>>()?;

    let pool = Pool::new(&JOBS, 2)?;
    let pooled = pool
        .map(&INTEGRATE, INTEGRANDS.map(String::from))
        .into_iter()
        .collect::<snakegen::Result<Vec<_>>>()?;
    assert_eq!(
        pooled, in_process,
        "the pool computes what the process does"
    );
    for (integrand, integral) in INTEGRANDS.iter().zip(&pooled) {
        println!("integrate({integrand}, x) = {integral}");
    }

    // A job that raises fails alone, with Python's exception.
    let error = pool.run(&INTEGRATE, "x +* 2".to_owned()).unwrap_err();
    println!(
        "integrate(x +* 2, x) -> {}",
        error.python_type().unwrap_or("?")
    );
    println!("jobs done on the pool: {}", pool.stats().done);
    Ok(())
}
