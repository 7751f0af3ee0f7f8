using DeepPhys.Data;

namespace DeepPhys.Runtime.Tests.Data;

public class PreprocessorTests
{
    private const string Header = "survived,pclass,sex,age,embarked\n";

    private static readonly CsvOptions Schema = new()
    {
        Target = "survived",
        TargetEncoding = TargetEncoding.Numeric,
        Columns = new Dictionary<string, ColumnKind> { ["pclass"] = ColumnKind.Label, ["sex"] = ColumnKind.OneHot, ["embarked"] = ColumnKind.OneHot },
    };

    private static DataTable Read(TempCsv file) => DataTable.ReadCsv(file.Path, Schema);

    [Fact]
    public void Unscaled_EncodesAndImputesFromTrainingOnly()
    {
        using var train = new TempCsv(Header + "0,3,male,20,S\n1,1,female,,C\n1,2,female,40,S\n0,3,male,90,\n");
        using var test = new TempCsv(Header + "1,1,female,,Q\n");

        var mean = Preprocessor.Fit(Read(train), Imputation.Mean, Scaling.None);
        var median = Preprocessor.Fit(Read(train), Imputation.Median, Scaling.None);

        Assert.Equal(["pclass", "sex=female", "sex=male", "age", "embarked=C", "embarked=S"], mean.FeatureNames);
        Assert.Equal(50, mean.Fills["age"]);
        Assert.Equal(40, median.Fills["age"]);
        // pclass 3 is category index 2 of [1, 2, 3]; the missing port gets the most frequent, S.
        Assert.Equal([2, 0, 1, 20, 0, 1, 0, 1, 0, 50, 1, 0, 1, 1, 0, 40, 0, 1, 2, 0, 1, 90, 0, 1], mean.Transform<double>(Read(train)).Features.ToArray());
        Assert.Equal([0.0, 1, 1, 0], mean.Transform<double>(Read(train)).Targets.ToArray());
        var error = Assert.Throws<DataFormatException>(() => mean.Transform<double>(Read(test)));
        Assert.Equal((2, 5, "Q"), (error.Line, error.Column, error.Text));
        Assert.Contains("'Q' in column 'embarked' was not seen in training; the categories are: C, S", error.Message);
    }

    [Fact]
    public void StandardScaling_LeavesOneHotInputsZeroOne()
    {
        using var train = new TempCsv(Header + "0,3,male,20,S\n1,1,female,,C\n1,2,female,40,S\n0,3,male,90,\n");

        var preprocessor = Preprocessor.Fit(Read(train), Imputation.Mean, Scaling.Standard);
        var data = preprocessor.Transform<double>(Read(train));

        var scaler = preprocessor.Scaler!;
        Assert.Equal([1.25, 0, 0, 50, 0, 0], scaler.Center); // pclass codes 2, 0, 1, 2
        Assert.Equal(1, scaler.Scale[1]);
        Assert.Equal(Math.Sqrt((900 + 0 + 100 + 1600) / 4.0), scaler.Scale[3], 12);
        Assert.Equal([0.0, 1, 1, 0], Enumerable.Range(0, 4).Select(i => data.FeatureRow(i)[1]));
        Assert.Equal(0, Enumerable.Range(0, 4).Sum(i => data.FeatureRow(i)[3]), 12);
    }

    [Fact]
    public void SavedAndLoaded_TransformsNewRowsExactlyAsTheTable()
    {
        using var train = new TempCsv(Header + "0,3,male,20,S\n1,1,female,,C\n1,2,female,40,S\n0,3,male,91.5,\n");
        var fitted = Preprocessor.Fit(Read(train), Imputation.Median, Scaling.MinMax);
        string path = Path.Combine(Path.GetDirectoryName(train.Path)!, "preprocessor.json");

        fitted.Save(path);
        var loaded = Preprocessor.Load(path);

        Assert.Equal(fitted.ToJson(), loaded.ToJson());
        Assert.IsType<MinMaxScaler>(loaded.Scaler);
        var table = fitted.Transform<float>(Read(train));
        float[] row = loaded.TransformRow<float>(new Dictionary<string, string?> { ["pclass"] = "1", ["sex"] = "female", ["age"] = "NA", ["embarked"] = "C" });
        Assert.Equal(table.FeatureRow(1).ToArray(), row);
        Assert.Contains("not seen in training", Assert.Throws<ArgumentException>(() =>
            loaded.TransformRow<float>(new Dictionary<string, string?> { ["sex"] = "other" })).Message);
        Assert.Throws<FormatException>(() => Preprocessor.FromJson("{\"columns\": [{\"name\": \"a\", \"kind\": \"Bogus\"}]}"));
    }

    /// <summary>A fill that is not one of the column's categories, unsorted or repeated categories, a non-finite numeric fill: refused when read, not an IndexOutOfRangeException at the first missing value (issue 20, item 11).</summary>
    [Theory]
    [InlineData("{\"name\":\"sex\",\"kind\":\"OneHot\",\"fill\":99,\"categories\":[\"female\",\"male\"]}", "column 'sex' fills a missing value with category 99; it has 2 categories")]
    [InlineData("{\"name\":\"sex\",\"kind\":\"Label\",\"fill\":0.5,\"categories\":[\"female\",\"male\"]}", "column 'sex' fills a missing value with category 0.5; it has 2 categories")]
    [InlineData("{\"name\":\"sex\",\"kind\":\"OneHot\",\"fill\":0,\"categories\":[\"male\",\"female\"]}", "column 'sex': the categories must be distinct and in ordinal order")]
    [InlineData("{\"name\":\"sex\",\"kind\":\"OneHot\",\"fill\":0,\"categories\":[]}", "column 'sex' fills a missing value with category 0; it has 0 categories")]
    [InlineData("{\"name\":\"age\",\"kind\":\"Numeric\",\"fill\":\"NaN\",\"categories\":[]}", "column 'age' fills a missing value with NaN")]
    public void FromJson_WithAColumnItCannotEncode_IsAFormatException(string column, string message)
    {
        var error = Assert.Throws<FormatException>(() => Preprocessor.FromJson($"{{\"columns\":[{column}]}}"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnWithoutTrainingValues_IsAnError()
    {
        using var train = new TempCsv(Header + "0,3,male,,S\n1,1,female,NA,C\n");

        Assert.Contains("'age' (column 4", Assert.Throws<ArgumentException>(() => Preprocessor.Fit(Read(train))).Message);
    }

    [Fact]
    public void MinMaxScaler_MapsTheTrainingRangeOntoZeroOne_AndRoundTripsAsJson()
    {
        var data = new Dataset<double>([1, 5, 3, 5, 2, 5], 2, [0, 0, 0], 1);

        var scaler = MinMaxScaler.Fit(data);
        var restored = FeatureScaler.FromJson(scaler.ToJson());

        Assert.Equal([0, 0, 1, 0, 0.5, 0], scaler.Transform(data).Features.ToArray());
        Assert.Equal([1, 5], ((MinMaxScaler)restored).Min);
        Assert.Equal(scaler.Scale, restored.Scale);
        Assert.Throws<FormatException>(() => FeatureScaler.FromJson("{\"kind\":\"standard\",\"center\":[1],\"scale\":[0]}"));
        Assert.Throws<FormatException>(() => FeatureScaler.FromJson("{\"kind\":\"robust\",\"center\":[1],\"scale\":[1]}"));
    }
}
