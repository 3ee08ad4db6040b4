namespace Shop;

/// <summary>Static helpers: the kind of code ordinary mocking libraries cannot replace.</summary>
public static class Pricing
{
    public static decimal UnitPrice(string sku) => sku.StartsWith("PRO-") ? 100m : 10m;

    public static decimal Total(string sku, int quantity) => UnitPrice(sku) * quantity * (1 - Discount(quantity));

    public static decimal Discount(int quantity) => quantity >= 10 ? 0.1m : 0m;
}
