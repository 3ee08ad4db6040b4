namespace Shop;

/// <summary>A sealed service with no interface: nothing to mock it through but Trapweave.</summary>
public sealed class OrderService
{
    readonly List<string> _placed = new();

    public string Place(string sku, int quantity)
    {
        var total = Pricing.Total(sku, quantity);
        var id = $"{sku}x{quantity}@{SystemClock.Now():yyyyMMdd}={total:0.00}";
        _placed.Add(id);
        return id;
    }

    public bool IsOpen() => SystemClock.Now().Hour is >= 8 and < 20;

    public IReadOnlyList<string> Placed => _placed;
}
