using System;
using System.Collections.Generic;

namespace Fixtures.Runtime;

/// <summary>Targets for Trap.When: statics, instances, virtual and interface dispatch, properties, indexers.</summary>
public static class Pricing
{
    public static decimal PriceOf(string sku) => sku.Length * 1.5m;

    public static int Discount(int quantity, string code) => quantity > 10 ? 5 : 0;

    public static void Audit(string message) => Log.Add(message);

    public static readonly List<string> Log = new();

    public static bool TryParse(string text, out int value) => int.TryParse(text, out value);

    public static string Sku = "A-1";
}

public interface IStock
{
    int Count(string sku);
}

public class Warehouse : IStock
{
    public Warehouse(string name) => Name = name;

    public string Name { get; set; }

    public virtual int Count(string sku) => 10;

    public string this[int shelf] => Name + ":" + shelf;

    public DateTime Opened => new(2000, 1, 1);
}

public sealed class BigWarehouse : Warehouse
{
    public BigWarehouse() : base("big") { }

    public override int Count(string sku) => 1000;
}

public readonly struct Money : IEquatable<Money>
{
    public Money(decimal amount) => Amount = amount;

    public decimal Amount { get; }

    public Money Times(int factor) => new(Amount * factor);

    public bool Equals(Money other) => Amount == other.Amount;
    public override bool Equals(object obj) => obj is Money m && Equals(m);
    public override int GetHashCode() => Amount.GetHashCode();
}

public sealed class Basket
{
    public Basket(string owner) => Owner = owner;
    public string Owner { get; }
    public static int Created;
}
