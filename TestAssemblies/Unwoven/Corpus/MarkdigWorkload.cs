using System.Linq;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Trapweave.Corpus;

/// <summary>Markdig: CommonMark and the advanced extensions rendered to HTML and plain text, the syntax tree walked, Markdown normalized.</summary>
static class MarkdigWorkload
{
    const string Document = """
        # Title with *emphasis* and `code`

        A paragraph with a [link](https://example.invalid/path?q=1 "title"), an autolink <https://example.invalid>,
        **strong**, ~~strike~~, H~2~O, 2^10^, ==marked== and a footnote[^1].

        > A quote
        > > nested, with a list:
        > > - one
        > > - two

        1. first
        2. second
           - [x] done
           - [ ] open

        | Left | Centre | Right |
        |:-----|:------:|------:|
        | a    | b      | c     |
        | 1.5  | **x**  | `y`   |

        ```csharp
        var x = 1 < 2 && "quote" != null;
        ```

        Term
        : Definition of the term

        *[HTML]: Hyper Text Markup Language

        Some HTML <span class="x">inline</span> & entities &copy; &#x1F600;

        <div>
        raw block
        </div>

        ---

        ![image](img.png){width=50%}

        [^1]: The footnote text.
        """;

    public static void Run(Results r)
    {
        var advanced = new MarkdownPipelineBuilder().UseAdvancedExtensions().UseEmojiAndSmiley().UseSoftlineBreakAsHardlineBreak().Build();
        r.Add("commonmark", () => Markdown.ToHtml(Document));
        r.Add("advanced", () => Markdown.ToHtml(Document, advanced));
        r.Add("plain-text", () => Markdown.ToPlainText(Document, advanced));
        r.Add("normalize", () => Markdown.Normalize("#  Title\n\n* a\n* b\n\n1) x\n2) y\n\nText   with *em*  and __strong__.\n"));
        r.Add("tree", () =>
        {
            var document = Markdown.Parse(Document, advanced);
            return document.Descendants().Select(node => node.GetType().Name + "@" + node.Line + ":" + node.Column).ToArray();
        });
        r.Add("links", () => Markdown.Parse(Document, advanced).Descendants<LinkInline>().Select(l => (l.IsImage ? "image " : "link ") + l.Url));
        r.Add("headings", () => Markdown.Parse(Document, advanced).Descendants<HeadingBlock>().Select(h => h.Level + ":" + h.Inline?.FirstChild));
        r.Add("big", () => Markdown.ToHtml(string.Join("\n\n", Enumerable.Range(0, 200).Select(i => $"## Section {i}\n\n- item *{i}*\n- item **{i * 2}**\n\n`code {i}`"))).Length);
    }
}
