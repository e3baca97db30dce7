//! Members Python reads rather than calls (`obj.name`: properties,
//! `cached_property`, slots, accessors, values on the class) are getters,
//! though the crate calls them like methods (`gadget.size()?`): a crate
//! built against the generated adapters prints what Python prints for the
//! same reads. Before, they were generated as method calls and raised
//! (`'str' object is not callable`).

mod common;

use common::{Crate, FIXTURE_PACKAGES, assert_success};
use serde_json::Value;

const MAIN: &str = r#"
mod py;

use py::ipaddress::{self, IPv4Network};
use py::platform::{self, uname_result};
use py::snakegen_descriptors::{Gadget, Part, Shouter};

fn main() -> snakegen::Result<()> {
    let gadget = Gadget::new("widget")?;
    // A property typed by its runtime annotation (the stub leaves it out).
    let size: i64 = gadget.size()?;
    println!("size = {size}");
    // `functools.cached_property`, typed by the stub; read twice.
    let digest: String = gadget.digest()?;
    println!("digest = {digest} {}", gadget.digest()?);
    // Inherited: a property and a cached_property of the base class.
    let origin: String = gadget.origin()?;
    let serial: i64 = gadget.serial()?;
    println!("origin = {origin}");
    println!("serial = {serial}");
    // A `__slots__` member, declared `label: str` in the stub.
    let label: String = gadget.label()?;
    println!("label = {label}");
    // An instance variable set in `__init__`: only the stub names it.
    let created: String = gadget.created()?;
    println!("created = {created}");
    // A value on the class that the stub declares as instance data.
    let kind: String = gadget.kind()?;
    println!("kind = {kind}");
    // Class constants: a `ClassVar` and an undeclared value, read from
    // the class.
    let limit: i64 = Gadget::LIMIT()?;
    println!("LIMIT = {limit}");
    println!("flavour = {}", Gadget::flavour()?);
    // A descriptor that is no function and not callable (pandas'
    // `Series.str` accessor), untyped: the caller converts.
    let shout = Shouter::from(gadget.shout()?);
    println!("shout.loud() = {}", shout.loud()?);
    // A callable descriptor the stub declares a property.
    let weight: i64 = gadget.weight()?;
    println!("weight = {weight}");
    // A property whose value is callable: read, then called.
    println!("scaler(3) = {}", gadget.scaler()?.call((3,))?);
    // Methods stay methods, own and inherited.
    println!("describe(2) = {}", gadget.describe_with().times(2).call()?);
    println!("greet = {}", gadget.greet("ada")?);
    // Methods that are descriptors handing out functions, not functions:
    // `functools.partialmethod`, and one like sqlalchemy's `hybrid_method`.
    println!("triple = {}", gadget.triple_with().separator("-").call()?);
    println!("echo = {}", gadget.echo("hi")?);
    // Slots without a stub: untyped getters.
    let part = Part::new("bolt", 4)?;
    println!("part = {} {}", part.name()?, part.count()?);

    // The standard library's cases: `cached_property`s of a stdlib class
    // and of a NamedTuple-like one.
    let network = IPv4Network::from(ipaddress::ip_network("192.168.0.0/24")?);
    println!("broadcast_address = {}", network.broadcast_address()?);
    println!("network_address = {}", network.network_address()?);
    let uname: uname_result = platform::uname()?;
    let processor: String = uname.processor()?;
    println!("processor = {processor:?}");
    let system: String = uname.system()?;
    println!("system = {system}");
    Ok(())
}
"#;

const PYTHON: &str = r#"
import ipaddress, platform
from snakegen_descriptors import Gadget, Part
gadget = Gadget("widget")
print(f"size = {gadget.size}")
print(f"digest = {gadget.digest} {gadget.digest}")
print(f"origin = {gadget.origin}")
print(f"serial = {gadget.serial}")
print(f"label = {gadget.label}")
print(f"created = {gadget.created}")
print(f"kind = {gadget.kind}")
print(f"LIMIT = {Gadget.LIMIT}")
print(f"flavour = {Gadget.flavour}")
print(f"shout.loud() = {gadget.shout.loud()}")
print(f"weight = {gadget.weight}")
print(f"scaler(3) = {gadget.scaler(3)}")
print(f"describe(2) = {gadget.describe(times=2)}")
print(f"greet = {gadget.greet('ada')}")
print(f"triple = {gadget.triple(separator='-')}")
print(f"echo = {gadget.echo('hi')}")
part = Part("bolt", 4)
print(f"part = {part.name} {part.count}")
network = ipaddress.ip_network("192.168.0.0/24")
print(f"broadcast_address = {network.broadcast_address}")
print(f"network_address = {network.network_address}")
uname = platform.uname()
print(f'processor = "{uname.processor}"')
print(f"system = {uname.system}")
"#;

#[test]
fn descriptors_are_read_and_print_what_python_prints() {
    let krate = Crate::new(
        "reads_descriptors",
        "snakegen_descriptors = \"1\"\nipaddress = \"stdlib\"\nplatform = \"stdlib\"",
        &[("src/main.rs", MAIN)],
    );
    assert_success(&krate.snakegen(&[]));

    let manifest: Value =
        serde_json::from_str(&krate.read(".snakegen/manifest/snakegen_descriptors.json")).unwrap();
    let gadget = &manifest["symbols"]["snakegen_descriptors.Gadget"];
    let methods: Vec<&String> = gadget["methods"].as_object().unwrap().keys().collect();
    assert_eq!(
        methods,
        ["describe", "echo", "greet", "triple"],
        "only what runs a function is a method"
    );
    let attributes: Vec<&String> = gadget["attributes"].as_object().unwrap().keys().collect();
    assert_eq!(
        attributes,
        [
            "LIMIT", "created", "digest", "flavour", "kind", "label", "origin", "scaler", "serial",
            "shout", "size", "weight"
        ]
    );
    assert!(
        gadget["members"]
            .as_array()
            .unwrap()
            .contains(&Value::from("created")),
        "a member only the stub declares is listed, so a new call of it is noticed"
    );
    let adapters = krate.read("src/py/snakegen_descriptors.rs");
    assert!(
        !adapters.contains("call_method(\"digest\"") && !adapters.contains("not a callable"),
        "{adapters}"
    );
    let ipaddress: Value =
        serde_json::from_str(&krate.read(".snakegen/manifest/ipaddress.json")).unwrap();
    let network = &ipaddress["symbols"]["ipaddress.IPv4Network"];
    assert!(network["methods"].get("broadcast_address").is_none());
    assert!(network["attributes"].get("broadcast_address").is_some());

    let run = krate.cargo(&["run", "--quiet"], &[("PYTHONPATH", FIXTURE_PACKAGES)]);
    assert_success(&run);
    let python = std::process::Command::new("python3")
        .args(["-c", PYTHON])
        .env("PYTHONPATH", FIXTURE_PACKAGES)
        .output()
        .unwrap();
    assert_success(&python);
    let printed = String::from_utf8(run.stdout).unwrap();
    assert_eq!(printed, String::from_utf8(python.stdout).unwrap());
    assert_eq!(
        printed.lines().count(),
        21,
        "every line is compared:\n{printed}"
    );
}
