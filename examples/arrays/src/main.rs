//! numpy from Rust: arrays, ranges, reductions along an axis, norms and
//! array methods. Every value printed here is computed by numpy.

mod py;

use py::numpy::{self, linalg};

fn main() -> snakegen::Result<()> {
    let grid = numpy::array(vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]])?;
    println!("array = {grid}");
    println!(
        "len(linspace(0, 1)) = {}",
        numpy::linspace(0.0, 1.0)?.len()?
    );
    println!(
        "linspace(0, 1, num=5) = {}",
        numpy::with::linspace(0.0, 1.0).num(5).call()?
    );
    println!("mean(array) = {}", numpy::mean(&grid)?);
    println!(
        "mean(array, axis=0) = {}",
        numpy::with::mean(&grid).axis(0).call()?
    );
    println!("linalg.norm([3, 4]) = {}", linalg::norm(vec![3.0, 4.0])?);

    // `ndarray` methods, through the class's wrapper.
    let array = numpy::ndarray::from(grid);
    println!("array.T = {}", array.T()?);
    println!("array.sum() = {}", array.sum()?);
    println!(
        "array.reshape(3, 2) = {}",
        array.reshape_with().shape([3, 2]).call()?
    );
    // Comparisons as the array Python returns (`.gt` would want its truth).
    let mask = numpy::arange(4)?.rich_compare(snakegen::CompareOp::Gt, 1)?;
    println!("where(arange(4) > 1) = {}", numpy::r#where(&mask)?);
    Ok(())
}
