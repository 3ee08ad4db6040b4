namespace Shop;

/// <summary>The application's clock: reads the real time.</summary>
public static class SystemClock
{
    public static DateTime Now() => DateTime.Now;
}
