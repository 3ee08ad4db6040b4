using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Trapweave.Corpus;

/// <summary>Dapper on an in-memory SQLite database (Microsoft.Data.Sqlite): schema, inserts, parameterised and multi-mapped queries, transactions.</summary>
static class DapperWorkload
{
    public sealed class Author
    {
        public long Id { get; set; }
        public string Name { get; set; }
        public List<Book> Books { get; } = new();
    }

    public sealed class Book
    {
        public long Id { get; set; }
        public long AuthorId { get; set; }
        public string Title { get; set; }
        public double Price { get; set; }
        public long Year { get; set; }
        public override string ToString() => $"{Id}:{Title}:{Price}:{Year}";
    }

    public static void Run(Results r)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.Execute("CREATE TABLE author (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL)");
        connection.Execute("CREATE TABLE book (Id INTEGER PRIMARY KEY, AuthorId INTEGER NOT NULL REFERENCES author(Id), Title TEXT NOT NULL, Price REAL, Year INTEGER)");

        r.Add("insert/authors", () => connection.Execute("INSERT INTO author (Name) VALUES (@Name)", new[] { "Le Guin", "Borges", "Calvino", "Lem" }.Select(n => new { Name = n })));
        r.Add("insert/books", () =>
        {
            using var transaction = connection.BeginTransaction();
            var rows = 0;
            for (var i = 0; i < 40; i++)
                rows += connection.Execute("INSERT INTO book (AuthorId, Title, Price, Year) VALUES (@AuthorId, @Title, @Price, @Year)",
                    new { AuthorId = i % 4 + 1, Title = "Book " + i, Price = 5 + i * 0.5, Year = 1950 + i }, transaction);
            transaction.Commit();
            return rows;
        });
        r.Add("scalar", () => connection.ExecuteScalar<long>("SELECT COUNT(*) FROM book WHERE Price > @min", new { min = 12.0 }));
        r.Add("query/typed", () => connection.Query<Book>("SELECT * FROM book WHERE Year BETWEEN @from AND @to ORDER BY Id", new { from = 1960, to = 1965 }));
        r.Add("query/in-list", () => connection.Query<string>("SELECT Title FROM book WHERE Id IN @ids ORDER BY Id", new { ids = new[] { 1, 5, 9, 33 } }));
        r.Add("query/dynamic", () => connection.Query("SELECT Name, COUNT(*) AS N, ROUND(AVG(Price), 2) AS Avg FROM author JOIN book ON book.AuthorId = author.Id GROUP BY Name ORDER BY Name")
            .Select(row => (string)row.Name + "=" + (long)row.N + "@" + (double)row.Avg));
        r.Add("query/multi-map", () =>
        {
            var authors = new Dictionary<long, Author>();
            connection.Query<Author, Book, Author>("SELECT a.*, b.* FROM author a JOIN book b ON b.AuthorId = a.Id WHERE b.Year < 1960 ORDER BY a.Id, b.Id",
                (a, b) =>
                {
                    if (!authors.TryGetValue(a.Id, out var known)) authors.Add(a.Id, known = a);
                    known.Books.Add(b);
                    return known;
                });
            return authors.Values.Select(a => a.Name + ": " + string.Join(";", a.Books));
        });
        r.Add("query/multiple", () =>
        {
            using var grid = connection.QueryMultiple("SELECT COUNT(*) FROM author; SELECT Title FROM book ORDER BY Price DESC LIMIT 3");
            return grid.ReadSingle<long>() + "|" + string.Join(",", grid.Read<string>());
        });
        r.Add("parameters", () =>
        {
            var p = new DynamicParameters();
            p.Add("title", "Book 7");
            p.Add("price", 99.5, DbType.Double);
            connection.Execute("UPDATE book SET Price = @price WHERE Title = @title", p);
            return connection.QuerySingle<Book>("SELECT * FROM book WHERE Title = @title", new { title = "Book 7" });
        });
        r.Add("rollback", () =>
        {
            using (var transaction = connection.BeginTransaction())
            {
                connection.Execute("DELETE FROM book", transaction: transaction);
                transaction.Rollback();
            }
            return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM book");
        });
        r.Add("error", () => connection.Query("SELECT * FROM missing_table"));
        r.Add("first-or-default", () => connection.QueryFirstOrDefault<Book>("SELECT * FROM book WHERE Id = -1") is null);
    }
}
