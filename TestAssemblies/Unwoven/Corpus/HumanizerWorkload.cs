using System;
using System.Globalization;
using System.Linq;
using Humanizer;

namespace Trapweave.Corpus;

/// <summary>Humanizer: numbers to words and ordinals, dates and time spans relative to a fixed instant, strings, in several cultures.</summary>
static class HumanizerWorkload
{
    static readonly string[] Cultures = { "en-US", "fr-FR", "de-DE", "es-ES", "ru-RU", "ja-JP", "ar-SA", "pt-BR" };
    static readonly int[] Numbers = { 0, 1, 2, 11, 21, 101, 1999, 45678, 1_000_001, -42 };

    public static void Run(Results r)
    {
        var now = new DateTime(2024, 5, 17, 12, 0, 0, DateTimeKind.Utc);
        foreach (var name in Cultures)
        {
            var culture = CultureInfo.GetCultureInfo(name);
            r.Add(name + "/words", () => Numbers.Select(n => n.ToWords(culture)));
            r.Add(name + "/ordinals", () => Numbers.Where(n => n >= 0).Select(n => n.ToOrdinalWords(culture)));
            r.Add(name + "/ordinalize", () => new[] { 1, 2, 3, 4, 22, 103 }.Select(n => n.Ordinalize(culture)));
            r.Add(name + "/dates", () => new[] { -3, -59, -3600, -86400 * 2, -86400 * 40, -86400 * 800, 90, 86400 * 3 }
                .Select(s => now.AddSeconds(s).Humanize(utcDate: true, dateToCompareAgainst: now, culture: culture)));
            r.Add(name + "/spans", () => new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(75), TimeSpan.FromHours(26.5), TimeSpan.FromDays(400) }
                .Select(t => t.Humanize(precision: 2, culture: culture)));
        }
        r.Add("strings/humanize", () => new[] { "PascalCaseInputString", "Underscored_input_string", "some-dashed-title", "HTML parser" }.Select(s => s.Humanize()));
        r.Add("strings/transform", () => new[] { "a sentence to title", "ANOTHER ONE" }.Select(s => s.Transform(To.TitleCase) + "|" + s.Transform(To.LowerCase)));
        r.Add("strings/case", () => new[] { "SomeTitleHere", "some title here" }.Select(s => s.Underscore() + "|" + s.Kebaberize() + "|" + s.Camelize() + "|" + s.Pascalize()));
        r.Add("strings/truncate", () => "A long sentence that goes on and on".Truncate(12) + "|" + "short".Truncate(12));
        r.Add("inflector", () => new[] { "man", "person", "octopus", "box", "quiz", "sheep" }.Select(w => w.Pluralize() + "/" + w.Pluralize().Singularize()));
        r.Add("quantity", () => new[] { 0, 1, 5 }.Select(n => "case".ToQuantity(n) + "|" + "case".ToQuantity(n, ShowQuantityAs.Words)));
        r.Add("roman", () => new[] { 1, 4, 9, 14, 40, 90, 400, 1994, 3999 }.Select(n => n.ToRoman() + "=" + n.ToRoman().FromRoman()));
        r.Add("metric", () => new[] { 0.001, 1.5, 1234.0, 1_500_000.0 }.Select(n => n.ToMetric(decimals: 2)));
        r.Add("bytes", () => new[] { 512L, 1536L, 5_000_000L, 3_000_000_000L }.Select(b => b.Bytes().Humanize("#.##", CultureInfo.InvariantCulture)));
        r.Add("enum", () => new[] { Category.Tools, Category.Books }.Select(c => c.Humanize() + "|" + c.Humanize().DehumanizeTo<Category>()));
        r.Add("collection", () => new[] { "apples", "pears", "plums" }.Humanize() + "|" + new[] { "one" }.Humanize("or"));
        r.Add("date-ordinal", () => now.ToOrdinalWords() + "|" + new DateOnly(2024, 2, 29).ToOrdinalWords());
    }
}
