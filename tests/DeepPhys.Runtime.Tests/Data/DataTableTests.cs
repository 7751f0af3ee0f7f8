using DeepPhys.Data;

namespace DeepPhys.Runtime.Tests.Data;

public class DataTableTests
{
    // A Titanic-style table: a categorical sex and port (one port missing), an ordered class, a
    // missing age, a quoted name with a comma that is ignored.
    private const string Passengers =
        "survived,pclass,name,sex,age,fare,embarked\n" +
        "0,3,\"Braund, Mr. Owen\",male,22,7.25,S\n" +
        "1,1,\"Cumings, Mrs. John\",female,38,71.28,C\n" +
        "1,3,\"Heikkinen, Miss. Laina\",female,NA,7.93,S\n" +
        "1,1,\"Futrelle, Mrs. Jacques\",female,35,53.1,\n" +
        "0,3,\"Allen, Mr. William\",male,,8.05,Q\n" +
        "0,2,\"Moran, Mr. James\",male,30,8.46,S\n";

    private static readonly CsvOptions Schema = new()
    {
        Target = "survived",
        TargetEncoding = TargetEncoding.Numeric,
        Columns = new Dictionary<string, ColumnKind>
        {
            ["pclass"] = ColumnKind.Label, ["name"] = ColumnKind.Ignore, ["sex"] = ColumnKind.OneHot, ["embarked"] = ColumnKind.OneHot,
        },
    };

    [Fact]
    public void TypedColumns_AreReadWithMissingValuesMarked()
    {
        using var file = new TempCsv(Passengers);

        var table = DataTable.ReadCsv(file.Path, Schema);

        Assert.Equal(6, table.Count);
        Assert.Equal(["pclass", "sex", "age", "fare", "embarked"], table.Columns.Select(c => c.Name));
        Assert.Equal([22, 38, double.NaN, 35, double.NaN, 30], table.Column("age").Numbers!);
        Assert.Equal(2, table.Column("age").MissingCount);
        Assert.Equal(new string?[] { "S", "C", "S", null, "Q", "S" }, table.Column("embarked").Texts!.AsEnumerable());
        Assert.Equal(7, table.Column("embarked").CsvColumn);
        Assert.Null(table.ClassNames);
        Assert.Equal([2, 3, 4, 5, 6, 7], table.Lines);
        Assert.Empty(table.SkippedRows);
    }

    [Fact]
    public void BadNumber_NamesFileLineColumnAndText()
    {
        using var file = new TempCsv(Passengers.Replace("35,53.1", "thirty-five,53.1"));

        var error = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(file.Path, Schema));

        Assert.Equal((file.Path, 5, 5, "thirty-five"), (error.Path, error.Line, error.Column, error.Text));
        Assert.StartsWith($"{file.Path}(5,5): 'thirty-five' in column 'age' is not a number", error.Message);
    }

    [Fact]
    public void SkipBadRows_SkipsAndReportsEachWithItsPlace()
    {
        using var file = new TempCsv(Passengers.Replace("35,53.1", "thirty-five,53.1") + "1,2,\"Short, Row\",female\n,1,x,male,1,2,S\n");

        var table = DataTable.ReadCsv(file.Path, new CsvOptions { Target = Schema.Target, TargetEncoding = Schema.TargetEncoding, Columns = Schema.Columns, SkipBadRows = true });

        Assert.Equal(5, table.Count);
        Assert.Equal([5, 8, 9], table.SkippedRows.Select(e => e.Line));
        Assert.Equal([5, 0, 1], table.SkippedRows.Select(e => e.Column));
        Assert.Contains("expected 7 fields as in the header, found 4", table.SkippedRows[1].Message);
        Assert.Contains("the target 'survived' is missing", table.SkippedRows[2].Message);
    }

    /// <summary>Issue 20, item 14: a NaN numeric target read as a number, then failed the whole load after the rows were read.</summary>
    [Theory]
    [InlineData(TargetEncoding.Auto)]
    [InlineData(TargetEncoding.Numeric)]
    public void SkipBadRows_SkipsARowWhoseNumericTargetIsNotFinite(TargetEncoding encoding)
    {
        using var file = new TempCsv("x,y\n1,0.5\n2,NaN\n3,1.5\n4,-Infinity\n");

        var table = DataTable.ReadCsv(file.Path, new CsvOptions { Target = "y", TargetEncoding = encoding, SkipBadRows = true });

        Assert.Equal(2, table.Count);
        Assert.Equal([3, 5], table.SkippedRows.Select(e => e.Line));
        Assert.Equal([2, 2], table.SkippedRows.Select(e => e.Column));
        Assert.Contains("'NaN' in column 'y' is not a finite number", table.SkippedRows[0].Message);
    }

    [Fact]
    public void SchemaErrors_NameTheColumn()
    {
        using var file = new TempCsv(Passengers);

        var unknown = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(file.Path,
            new CsvOptions { Target = "survived", Columns = new Dictionary<string, ColumnKind> { ["cabin"] = ColumnKind.OneHot } }));
        var noTarget = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(file.Path, new CsvOptions { Target = "alive" }));
        var nameAsNumber = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(file.Path, new CsvOptions { Target = "survived" }));

        Assert.Equal("cabin", unknown.Text);
        Assert.Contains("no target column 'alive'", noTarget.Message);
        Assert.Equal((2, 3, "Braund, Mr. Owen"), (nameAsNumber.Line, nameAsNumber.Column, nameAsNumber.Text));
    }
}
