using DeepPhys.Data;

namespace DeepPhys.Runtime.Tests.Data;

public class CsvTests
{
    public static readonly string IrisPath = Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

    [Fact]
    public void QuotedFieldsAndCrlf_AreRead()
    {
        using var file = new TempCsv(
            "x1,\"label, with comma\",x2\r\n" +
            "1.5,\"say \"\"hi\"\"\",-2e-1\r\n" +
            " 3 , plain ,4\r\n" +
            "\r\n");

        var data = Dataset<double>.FromCsv(file.Path, "label, with comma");

        Assert.Equal(2, data.Count);
        Assert.Equal(["x1", "x2"], data.FeatureNames!);
        Assert.Equal(["plain", "say \"hi\""], data.ClassNames!);
        Assert.Equal([1.5, -0.2, 3, 4], data.Features.ToArray());
        Assert.Equal([0.0, 1.0, 1.0, 0.0], data.Targets.ToArray());
    }

    /// <summary>Issue 20, item 14: "An item with the same key has already been added", with no file or line.</summary>
    [Fact]
    public void AColumnNameGivenTwice_NamesFileLineColumnAndName()
    {
        using var file = new TempCsv("\nx,y,x,label\n1,2,3,a\n");
        string expected = $"{file.Path}(2,3): the column name 'x' is given twice (columns 1 and 3); every column needs a name of its own.";

        var dataset = Assert.Throws<DataFormatException>(() => Dataset<double>.FromCsv(file.Path, "label"));
        var table = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(file.Path, new CsvOptions { Target = "label" }));

        Assert.Equal(expected, dataset.Message);
        Assert.Equal(expected, table.Message);
    }

    [Fact]
    public void QuotedFieldWithLineBreak_KeepsItAndCountsTheLine()
    {
        using var file = new TempCsv("a,y\n1,\"two\nlines\"\nabc,z\n");

        var error = Assert.Throws<DataFormatException>(() => Dataset<double>.FromCsv(file.Path, "y"));

        Assert.Equal(4, error.Line);
        using var good = new TempCsv("a,y\n1,\"two\r\nlines\"\n");
        Assert.Equal(["two\r\nlines"], Dataset<double>.FromCsv(good.Path, "y").ClassNames!);
    }

    [Fact]
    public void BlankLines_AreSkippedAndStillCounted()
    {
        using var file = new TempCsv("a,y\n\n1,x\n   \n2,z");

        var data = Dataset<float>.FromCsv(file.Path, "y");

        Assert.Equal([1f, 2f], data.Features.ToArray());
        using var bad = new TempCsv("a,y\n\n1,x\n\nq,z\n");
        Assert.Equal(5, Assert.Throws<DataFormatException>(() => Dataset<double>.FromCsv(bad.Path, "y")).Line);
    }

    [Fact]
    public void AutoEncoding_NumericTargets_GiveOneTargetAndNoClasses()
    {
        using var file = new TempCsv("a,y\n1,0.5\n2,1.5\n");

        var data = Dataset<double>.FromCsv(file.Path, "y");

        Assert.Equal(1, data.TargetCount);
        Assert.Null(data.ClassNames);
        Assert.Equal([0.5, 1.5], data.Targets.ToArray());
    }

    /// <summary>Issue 19, item 3: labels 0–11 became columns 0, 1, 10, 11, 2, … (ordered as text).</summary>
    [Fact]
    public void OneHotEncoding_OfNumbers_OrdersClassesNumerically()
    {
        using var file = new TempCsv("y,a\n2,1\n10,2\n2,3\n0,4\n11,5\n1,6\n");

        var data = Dataset<double>.FromCsv(file.Path, "y", TargetEncoding.OneHot);
        var table = DataTable.ReadCsv(file.Path, new CsvOptions { Target = "y", TargetEncoding = TargetEncoding.OneHot });

        Assert.Equal(["0", "1", "2", "10", "11"], data.ClassNames!);
        Assert.Equal([2, 3, 2, 0, 4, 1], data.ClassLabels());
        Assert.Equal(["a"], data.FeatureNames!);
        Assert.Equal(["0", "1", "2", "10", "11"], table.ClassNames!);
        Assert.Equal([2, 3, 2, 0, 4, 1], table.ClassLabels());
    }

    [Fact]
    public void TextLabels_StayInOrdinalOrder()
    {
        using var file = new TempCsv("y,a\nb,1\n10,2\nA,3\n");

        var data = Dataset<double>.FromCsv(file.Path, "y");

        Assert.Equal(["10", "A", "b"], data.ClassNames!);
    }

    [Fact]
    public void ClassList_GivesTrainAndTestTheSameColumns_EvenWhenAClassIsMissing()
    {
        using var train = new TempCsv("y,a\nmuon,1\npion,2\nelectron,3\n");
        using var test = new TempCsv("y,a\npion,4\nmuon,5\n");
        string[] classes = ["pion", "muon", "electron"];

        var trainData = Dataset<float>.FromCsv(train.Path, "y", classes: classes);
        var testData = Dataset<float>.FromCsv(test.Path, "y", classes: classes);
        var testTable = DataTable.ReadCsv(test.Path, new CsvOptions { Target = "y", Classes = classes });

        Assert.Equal(classes, trainData.ClassNames!);
        Assert.Equal([1, 0, 2], trainData.ClassLabels());
        Assert.Equal(classes, testData.ClassNames!);
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f], testData.Targets.ToArray());
        Assert.Equal(classes, testTable.ClassNames!);
        Assert.Equal([0, 1], testTable.ClassLabels());
    }

    [Fact]
    public void LabelNotInTheClassList_NamesFileLineColumnAndLabel()
    {
        using var file = new TempCsv("a,y\n1,pion\n2,kaon\n");
        string expected = $"{file.Path}(3,2): label 'kaon' is not one of the classes pion, muon";

        var dataset = Assert.Throws<DataFormatException>(() => Dataset<float>.FromCsv(file.Path, "y", classes: ["pion", "muon"]));
        var table = Assert.Throws<DataFormatException>(() => DataTable.ReadCsv(file.Path, new CsvOptions { Target = "y", Classes = ["pion", "muon"] }));

        Assert.Equal(expected, dataset.Message);
        Assert.Equal(expected, table.Message);
        Assert.Equal((3, 2, "kaon"), (dataset.Line, dataset.Column, dataset.Text));
    }

    [Fact]
    public void ClassListWithARepeat_OrWithNumericEncoding_IsAnArgumentError()
    {
        using var file = new TempCsv("a,y\n1,0\n");

        var repeat = Assert.Throws<ArgumentException>(() => Dataset<float>.FromCsv(file.Path, "y", classes: ["0", "1", "0"]));
        var numeric = Assert.Throws<ArgumentException>(() => Dataset<float>.FromCsv(file.Path, "y", TargetEncoding.Numeric, classes: ["0", "1"]));

        Assert.Equal("Class '0' is listed twice. (Parameter 'classes')", repeat.Message);
        Assert.StartsWith("classes needs class targets", numeric.Message);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,x\n3,abc,y\n", "y", TargetEncoding.Auto, 3, 2, "abc", "'abc' in column 'b' is not a number")]
    [InlineData("a,y\n1,cat\n", "y", TargetEncoding.Numeric, 2, 2, "cat", "'cat' in column 'y' is not a number")]
    [InlineData("a,b,y\n1,,x\n", "y", TargetEncoding.Auto, 2, 2, "", "empty field in column 'b'; missing values are not supported yet")]
    [InlineData("a,y\n1,\"\"\n", "y", TargetEncoding.Auto, 2, 2, "", "empty field in column 'y'; missing values are not supported yet")]
    [InlineData("a,y\nNaN,x\n", "y", TargetEncoding.Auto, 2, 1, "NaN", "'NaN' in column 'a' is not a finite number; NaN and infinities are not allowed")]
    [InlineData("a,y\n-Infinity,x\n", "y", TargetEncoding.Auto, 2, 1, "-Infinity", "'-Infinity' in column 'a' is not a finite number; NaN and infinities are not allowed")]
    [InlineData("a,y\n1,x\n1e400,x\n", "y", TargetEncoding.Auto, 3, 1, "1e400", "'1e400' in column 'a' is not a finite number; NaN and infinities are not allowed")]
    [InlineData("a,y\n1,Infinity\n", "y", TargetEncoding.Auto, 2, 2, "Infinity", "'Infinity' in column 'y' is not a finite number; NaN and infinities are not allowed")]
    [InlineData("a,y\n1,\"abc\n", "y", TargetEncoding.Auto, 2, 2, "\"abc", "the quoted field has no closing '\"'")]
    [InlineData("a,y\n1,\"ab\"c,\n", "y", TargetEncoding.Auto, 2, 2, "\"ab\"c", "expected ',' or the end of the line after the closing '\"'")]
    [InlineData("a,b,y\n1,2,x\n3,4\n", "y", TargetEncoding.Auto, 3, 0, "3,4", "expected 3 fields as in the header, found 2")]
    [InlineData("a,y\r\n1,x,\r\n", "y", TargetEncoding.Auto, 2, 0, "1,x,", "expected 2 fields as in the header, found 3")]
    [InlineData("a,b,species\n1,2,x\n", "specis", TargetEncoding.Auto, 1, 0, "specis", "no column 'specis'; columns are: a, b, species")]
    [InlineData("y\n1\n", "y", TargetEncoding.Auto, 1, 0, "y", "no feature columns besides the target 'y'")]
    [InlineData("a,y\n\n", "y", TargetEncoding.Auto, 1, 0, "a,y", "no data rows after the header")]
    [InlineData("\n \n", "y", TargetEncoding.Auto, 1, 0, "", "the file is empty; expected a header row naming the columns")]
    public void Errors_NameLineColumnAndText(string content, string target, TargetEncoding encoding, int line, int column, string text, string message)
    {
        using var file = new TempCsv(content);

        var error = Assert.Throws<DataFormatException>(() => Dataset<double>.FromCsv(file.Path, target, encoding));

        Assert.Equal(file.Path, error.Path);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal(text, error.Text);
        string place = column > 0 ? $"({line},{column})" : $"({line})";
        Assert.Equal($"{file.Path}{place}: {message}", error.Message);
    }

    [Fact]
    public void FloatOverflow_IsNotFinite()
    {
        using var file = new TempCsv("a,y\n1e39,x\n");

        var error = Assert.Throws<DataFormatException>(() => Dataset<float>.FromCsv(file.Path, "y"));

        Assert.Equal((2, 1, "1e39"), (error.Line, error.Column, error.Text));
    }

    [Fact]
    public void Iris_Has150Rows4Features3Classes()
    {
        var iris = Dataset<double>.FromCsv(IrisPath, "species");

        Assert.Equal(150, iris.Count);
        Assert.Equal(4, iris.FeatureCount);
        Assert.Equal(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"], iris.FeatureNames!);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames!);
        Assert.Equal([5.1, 3.5, 1.4, 0.2], iris.FeatureRow(0).ToArray());
        Assert.Equal([0.0, 0.0, 1.0], iris.TargetRow(149).ToArray());
        Assert.All(iris.ClassLabels().CountBy(label => label), pair => Assert.Equal(50, pair.Value));
    }
}
