namespace Fixtures;

// FodyWeavers.xml excludes Fixtures.Excluded*.
public class ExcludedService
{
    public int Method() => 1;

    public static int Static() => 2;

    public int Property => 3;
}

public static class ExcludedHelpers
{
    public static string Help() => "help";
}

public class NotExcludedNeighbour
{
    public int Method() => 4;
}
