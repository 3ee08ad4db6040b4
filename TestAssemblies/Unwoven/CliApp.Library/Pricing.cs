namespace CliApp.Library;

public static class Pricing
{
    public static decimal PriceOf(string sku) => sku == "A-1" ? 1.5m : 4m;

    public static decimal Total(string sku, int quantity) => PriceOf(sku) * quantity;
}
