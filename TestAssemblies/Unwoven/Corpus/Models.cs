using System;
using System.Collections.Generic;
using System.Linq;

namespace Trapweave.Corpus;

// An object graph shared by the serializers and the mapper: nesting, collections, enums, nulls, dates.

public enum Category { Tools, Garden, Books }

public sealed class Catalog
{
    public string Name { get; set; }
    public DateTime Published { get; set; }
    public Person Owner { get; set; }
    public List<Product> Products { get; set; } = new();
    public Dictionary<string, int> Stock { get; set; } = new();
    public Category Main { get; set; }
    public decimal? Discount { get; set; }
}

public sealed class Product
{
    public string Sku { get; set; }
    public string Title { get; set; }
    public decimal Price { get; set; }
    public double Weight { get; set; }
    public Category Category { get; set; }
    public List<string> Tags { get; set; } = new();
    public Person Maker { get; set; }
    public int[] Ratings { get; set; }
}

public sealed class Person
{
    public string First { get; set; }
    public string Last { get; set; }
    public DateTime Born { get; set; }
    public Address Address { get; set; }
}

public sealed class Address
{
    public string Street { get; set; }
    public string City { get; set; }
    public string Zip { get; set; }
}

public static class Models
{
    public static Catalog Catalog()
    {
        var maker = new Person { First = "Ada", Last = "Lovelace", Born = new DateTime(1815, 12, 10, 0, 0, 0, DateTimeKind.Utc), Address = new Address { Street = "1 St James's Sq", City = "London", Zip = "SW1Y" } };
        var catalog = new Catalog
        {
            Name = "Spring \"catalogue\" – ünïcode ☃",
            Published = new DateTime(2024, 3, 1, 9, 30, 0, DateTimeKind.Utc),
            Owner = new Person { First = "Grace", Last = "Hopper", Born = new DateTime(1906, 12, 9, 0, 0, 0, DateTimeKind.Utc) },
            Main = Category.Garden,
            Discount = 0.15m,
        };
        for (var i = 0; i < 6; i++)
        {
            catalog.Products.Add(new Product
            {
                Sku = "SKU-" + (i * 37).ToString("D4"),
                Title = "Product number " + i,
                Price = 9.99m + i * 3.5m,
                Weight = 0.125 * (i + 1),
                Category = (Category)(i % 3),
                Tags = Enumerable.Range(0, i % 4).Select(t => "tag" + t).ToList(),
                Maker = i % 2 == 0 ? maker : null,
                Ratings = Enumerable.Range(1, i).ToArray(),
            });
            catalog.Stock["SKU-" + (i * 37).ToString("D4")] = i * 11;
        }
        return catalog;
    }
}
