using System;
using System.Collections.Generic;
using System.Linq;
using AutoMapper;
using AutoMapper.QueryableExtensions;

namespace Trapweave.Corpus;

/// <summary>AutoMapper: flattening, nested and collection maps, custom members, conditions, reverse maps, projection, a configuration check.</summary>
static class AutoMapperWorkload
{
    public sealed class CatalogDto
    {
        public string Name { get; set; }
        public string OwnerFirst { get; set; }
        public string OwnerLast { get; set; }
        public string OwnerAddressCity { get; set; }
        public List<ProductDto> Products { get; set; }
        public int ProductCount { get; set; }
        public string Main { get; set; }
        public decimal Discount { get; set; }
    }

    public sealed class ProductDto
    {
        public string Sku { get; set; }
        public string Title { get; set; }
        public decimal Price { get; set; }
        public string MakerName { get; set; }
        public string TagList { get; set; }
        public double AverageRating { get; set; }
        public Category Category { get; set; }
    }

    public sealed class PersonDto
    {
        public string First { get; set; }
        public string Last { get; set; }
        public int BornYear { get; set; }
        public string AddressStreet { get; set; }
    }

    public static void Run(Results r)
    {
        var config = new MapperConfiguration(cfg =>
        {
            cfg.CreateMap<Catalog, CatalogDto>()
                .ForMember(d => d.ProductCount, o => o.MapFrom(s => s.Products.Count))
                .ForMember(d => d.Discount, o => o.MapFrom(s => s.Discount ?? 0m));
            cfg.CreateMap<Product, ProductDto>()
                .ForMember(d => d.MakerName, o => o.MapFrom(s => s.Maker == null ? "(none)" : s.Maker.First + " " + s.Maker.Last))
                .ForMember(d => d.TagList, o => o.MapFrom(s => string.Join("/", s.Tags)))
                .ForMember(d => d.AverageRating, o => o.MapFrom(s => s.Ratings.Length == 0 ? 0 : s.Ratings.Average()))
                .ForMember(d => d.Price, o => o.Condition(s => s.Price < 20m));
            cfg.CreateMap<Person, PersonDto>()
                .ForMember(d => d.BornYear, o => o.MapFrom(s => s.Born.Year))
                .ReverseMap()
                .ForMember(s => s.Born, o => o.MapFrom(d => new DateTime(d.BornYear, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        });
        r.Add("valid", () => { config.AssertConfigurationIsValid(); return "valid"; });
        var mapper = config.CreateMapper();
        var catalog = Models.Catalog();
        r.Add("catalog", () => Describe(mapper.Map<CatalogDto>(catalog)));
        r.Add("products", () => mapper.Map<List<ProductDto>>(catalog.Products).Select(Describe));
        r.Add("array", () => mapper.Map<ProductDto[]>(catalog.Products.ToArray()).Length);
        r.Add("person/reverse", () =>
        {
            var dto = mapper.Map<PersonDto>(catalog.Products[0].Maker);
            var back = mapper.Map<Person>(dto);
            return $"{dto.First} {dto.Last} {dto.BornYear} {dto.AddressStreet} -> {back.First} {back.Last} {back.Born:yyyy-MM-dd}";
        });
        r.Add("into-existing", () =>
        {
            var existing = new ProductDto { Sku = "keep", Price = 1234m };
            mapper.Map(catalog.Products[5], existing);
            return Describe(existing);
        });
        r.Add("projection", () => catalog.Products.AsQueryable().ProjectTo<ProductDto>(config).AsEnumerable().Select(Describe).Count() + "|" + string.Join(";",
            catalog.Products.Where(p => p.Maker != null).Select(p => p.Maker).AsQueryable().ProjectTo<PersonDto>(config).Select(p => p.First + p.BornYear)));
        r.Add("unmapped", () => mapper.Map<Address>(catalog));
        r.Add("invalid-config", () =>
        {
            var bad = new MapperConfiguration(cfg => cfg.CreateMap<Product, PersonDto>());
            bad.AssertConfigurationIsValid();
            return "no error";
        });
    }

    static string Describe(CatalogDto d) =>
        $"{d.Name}|{d.OwnerFirst} {d.OwnerLast}|{d.OwnerAddressCity ?? "null"}|{d.ProductCount}|{d.Main}|{d.Discount}|" + string.Join(";", d.Products.Select(Describe));

    static string Describe(ProductDto p) => $"{p.Sku},{p.Title},{p.Price},{p.MakerName},{p.TagList},{p.AverageRating},{p.Category}";
}
