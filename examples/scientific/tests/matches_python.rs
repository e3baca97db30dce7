//! The example prints what Python prints for the same computations.

#[path = "../../prints_like_python.rs"]
mod prints_like_python;

const PYTHON: &str = r#"
import math
import numpy as np
from scipy import integrate, optimize

def rosenbrock(x):
    return (1.0 - x[0]) * (1.0 - x[0]) + 100.0 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])

# Callbacks.
x = optimize.minimize(rosenbrock, [-1.2, 1.0], method="Nelder-Mead").x
print(f"minimize(rosenbrock) = [{x[0]:.4f}, {x[1]:.4f}]")
x = optimize.minimize_scalar(lambda x: (x - 2.0) ** 4 - x).x
print(f"minimize_scalar((x - 2)^4 - x) = {x:.6f}")
root = optimize.brentq(lambda x: x * x * x - 2.0 * x - 5.0, 2.0, 3.0)
print(f"brentq(x^3 - 2x - 5, 2, 3) = {root:.10f}")
xs = [i * 0.5 for i in range(20)]
ys = [2.5 * math.exp(-0.3 * x) + 0.01 * math.sin(7.0 * x) for x in xs]
(a, b), _ = optimize.curve_fit(lambda x, a, b: [a * math.exp(-b * v) for v in x], xs, ys)
print(f"curve_fit(a * exp(-b x)) = a {a:.4f}, b {b:.4f}")
integral, _ = integrate.quad(lambda x: math.sin(x) * math.exp(-x), 0.0, 3.0)
print(f"quad(sin(x) exp(-x), 0, 3) = {integral:.8f}")
solution = integrate.solve_ivp(
    lambda t, y: [-0.5 * y[0], y[0] - 0.25 * y[1]], (0.0, 4.0), [2.0, 0.0], t_eval=[1.0, 2.0, 4.0]
)
for name, values in zip(["y0", "y1"], solution.y):
    print(f"solve_ivp {name} at t = 1, 2, 4: " + ", ".join(f"{v:.4f}" for v in values))

# Arrays.
back = np.sin(np.arange(1_000_000) * 1e-6).tolist()
print(f"sin over 1e6 points: sum {sum(back):.6f}, last {back[-1]:.12f}")
data = np.array([3.0, 1.0, 2.0])
data.sort()
print(f"sorted in place by numpy: {data.tolist()}")
"#;

#[test]
fn the_example_prints_what_python_computes() {
    prints_like_python::assert_prints_like_python(env!("CARGO_BIN_EXE_scientific"), PYTHON, 9);
}
