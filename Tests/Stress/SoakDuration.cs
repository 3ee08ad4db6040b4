using System.Globalization;

namespace Trapweave.Tests.Stress;

/// <summary>
/// How long the soak's flows keep looping: <see cref="DefaultSeconds"/> (what CI runs), or
/// <c>TRAPWEAVE_SOAK_SECONDS</c> for longer runs. It bounds the loop; nothing asserts on time.
/// </summary>
internal static class SoakDuration
{
    public const string Variable = "TRAPWEAVE_SOAK_SECONDS";
    public const int DefaultSeconds = 30;

    public static TimeSpan Get()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(DefaultSeconds);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
            throw new InvalidOperationException($"{Variable}='{text}' is not a whole number of seconds (1 or more); unset it for the default of {DefaultSeconds}.");
        return TimeSpan.FromSeconds(seconds);
    }
}
