using Trapweave;

[assembly: NoTrap]

namespace Fixtures.AssemblyNoTrap;

public class Service
{
    public int Method() => 1;

    public static int Static() => 2;
}
