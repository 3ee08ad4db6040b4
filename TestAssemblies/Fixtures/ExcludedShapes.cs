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

/// <summary>Excluded by FodyWeavers.xml: its calls are not redirected either.</summary>
public static class ExcludedRedirects
{
    public static int Add(int a, int b) => External.Library.Add(a, b);
}
