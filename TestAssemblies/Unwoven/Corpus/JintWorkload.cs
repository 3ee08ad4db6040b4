using System;
using System.Collections.Generic;
using System.Linq;
using Jint;
using Jint.Native;

namespace Trapweave.Corpus;

/// <summary>Jint (on Acornima's parser): a JavaScript program with classes, closures, generators, JSON, regular expressions, errors and .NET interop.</summary>
static class JintWorkload
{
    const string Program = """
        class Shape { constructor(name) { this.name = name; } area() { return 0; } toString() { return `${this.name}(${this.area().toFixed(2)})`; } }
        class Circle extends Shape { constructor(r) { super('circle'); this.r = r; } area() { return Math.PI * this.r ** 2; } }
        class Rect extends Shape { constructor(w, h) { super('rect'); this.w = w; this.h = h; } area() { return this.w * this.h; } }
        const shapes = [new Circle(1), new Rect(2, 3), new Circle(0.5)];
        function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } }
        const firstFib = []; for (const f of fib()) { if (f > 100) break; firstFib.push(f); }
        const counter = (() => { let n = 0; return { next: () => ++n }; })();
        counter.next(); counter.next();
        const words = 'The quick brown fox jumps over the lazy dog'.split(' ');
        const byLength = words.reduce((acc, w) => { (acc[w.length] ||= []).push(w.toLowerCase()); return acc; }, {});
        const map = new Map([['a', 1], ['b', 2]]); map.set('c', map.get('a') + map.get('b'));
        const set = new Set([3, 1, 3, 2, 1]);
        const dates = /(\d{4})-(\d{2})-(\d{2})/g;
        const found = [...'from 2024-01-31 to 2025-12-01'.matchAll(dates)].map(m => m[1] + '/' + m[2] + '/' + m[3]);
        let caught; try { null.x; } catch (e) { caught = e.constructor.name + ': ' + (e instanceof TypeError); }
        const spread = { ...{ a: 1, b: 2 }, b: 3, [`k${1 + 1}`]: 'computed' };
        const sorted = [5, 3, 10, 1].sort((x, y) => x - y);
        const fromHost = host.Describe('js', 42);
        ({
          shapes: shapes.map(String),
          total: shapes.reduce((s, x) => s + x.area(), 0).toFixed(4),
          firstFib, count: counter.next(), byLength, map: [...map.entries()], set: [...set],
          found, caught, spread, sorted, fromHost,
          json: JSON.stringify({ nested: { list: [1, 'two', null, true] }, when: new Date(Date.UTC(2020, 1, 29)).toISOString() }),
          parsed: JSON.parse('{"x": [1, 2, {"y": "z"}]}').x[2].y,
          symbols: typeof Symbol.iterator, big: (2n ** 64n).toString(), opt: spread?.missing?.deep ?? 'default',
        })
        """;

    public sealed class Host
    {
        public string Describe(string who, int n) => who + " says " + n * 2;
    }

    public static void Run(Results r)
    {
        var engine = new Engine(options => options.LimitRecursion(200).TimeoutInterval(TimeSpan.FromMinutes(5)));
        engine.SetValue("host", new Host());
        r.Add("program", () => Json(engine, engine.Evaluate(Program)));
        r.Add("functions", () =>
        {
            engine.Execute("function add(a, b) { return a + b; } var total = 0; for (var i = 0; i < 1000; i++) total = add(total, i);");
            return engine.GetValue("total").AsNumber() + "|" + engine.Invoke("add", 2, 3) + "|" + engine.Invoke("add", "a", "b");
        });
        r.Add("recursion", () => engine.Evaluate("function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); } fact(20)").AsNumber());
        r.Add("too-deep", () => engine.Evaluate("function down(n) { return down(n + 1); } down(0)"));
        r.Add("syntax-error", () => engine.Evaluate("function ( {"));
        r.Add("thrown", () => engine.Evaluate("throw new RangeError('out of range: ' + 7)"));
        r.Add("promise", () =>
        {
            var value = engine.Evaluate("(async () => { const v = await Promise.resolve(20); return v + await new Promise(res => res(22)); })()");
            return value.UnwrapIfPromise().AsNumber();
        });
        r.Add("clr-values", () =>
        {
            engine.SetValue("list", new List<int> { 1, 2, 3 });
            engine.SetValue("log", new Func<string, string>(s => "[" + s + "]"));
            return engine.Evaluate("log(list.Count + ':' + list[1])").AsString();
        });
        r.Add("sort-numbers", () => string.Join(",", engine.Evaluate("Array.from({length: 50}, (_, i) => (i * 37) % 50).sort((a, b) => a - b)").AsArray().Select(v => v.AsNumber())));
    }

    static string Json(Engine engine, JsValue value) => engine.Invoke(engine.Evaluate("(v) => JSON.stringify(v)"), value).AsString();
}
