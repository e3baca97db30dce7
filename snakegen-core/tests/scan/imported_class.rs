use py::fractions::Fraction;

fn half() -> snakegen::Result<Fraction> {
    let third = Fraction::new_with().numerator(1).denominator(3).call()?;
    third.limit_denominator()?;
    Fraction::new()
}
