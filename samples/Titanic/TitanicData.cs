using System.Globalization;
using System.Text;
using DeepPhys;
using DeepPhys.Data;

namespace DeepPhys.Samples.Titanic;

/// <summary>
/// A synthetic, Titanic-style passenger list, made by a seeded generator (no real passenger data:
/// every row is drawn here, so there is no licence to respect). Per passenger:
/// <list type="bullet">
/// <item><c>pclass</c>: 1, 2 or 3 with probabilities 0.25, 0.21, 0.54 (the real ship's shares);</item>
/// <item><c>sex</c>: <c>female</c> with probability 0.36, else <c>male</c>;</item>
/// <item><c>age</c>: normal, mean 38 / 30 / 25 years in class 1 / 2 / 3, σ = 13, clipped to [0.5, 75];
/// missing (empty) for 20 % of the passengers;</item>
/// <item><c>fare</c>: log-normal around 80 / 20 / 10 pounds by class (σ of the log 0.5);</item>
/// <item><c>embarked</c>: <c>C</c> with probability 0.35 in first class and 0.13 otherwise, <c>Q</c>
/// with 0.09, else <c>S</c>; missing (<c>NA</c>) for 2 %;</item>
/// <item><c>survived</c>: 1 with probability σ(z), the logistic model
/// z = 0.4 + 2.5·[female] − 1.1·(pclass − 1) − 0.035·(age − 30) + 0.3·[embarked C],
/// using the true age and port even where the file hides them.</item>
/// </list>
/// </summary>
public static class TitanicData
{
    /// <summary>The logistic model's survival probability of one passenger.</summary>
    public static double SurvivalProbability(int pclass, bool female, double age, char embarked)
    {
        double z = 0.4 + (female ? 2.5 : 0) - 1.1 * (pclass - 1) - 0.035 * (age - 30) + (embarked == 'C' ? 0.3 : 0);
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>The CSV text of <paramref name="count"/> passengers drawn from <paramref name="seed"/>; the same seed gives the same text.</summary>
    public static string Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new RandomStream(seed);
        var csv = new StringBuilder("passenger,pclass,sex,age,fare,embarked,survived\n");
        for (int id = 1; id <= count; id++)
        {
            double u = random.NextDouble();
            int pclass = u < 0.25 ? 1 : u < 0.46 ? 2 : 3;
            bool female = random.NextDouble() < 0.36;
            double age = Math.Clamp((pclass switch { 1 => 38.0, 2 => 30.0, _ => 25.0 }) + 13 * random.NextNormal(), 0.5, 75);
            double fare = (pclass switch { 1 => 80.0, 2 => 20.0, _ => 10.0 }) * Math.Exp(0.5 * random.NextNormal());
            double port = random.NextDouble();
            double cherbourg = pclass == 1 ? 0.35 : 0.13;
            char embarked = port < cherbourg ? 'C' : port < cherbourg + 0.09 ? 'Q' : 'S';
            bool survived = random.NextDouble() < SurvivalProbability(pclass, female, age, embarked);
            bool ageMissing = random.NextDouble() < 0.20, portMissing = random.NextDouble() < 0.02;
            csv.Append(CultureInfo.InvariantCulture,
                $"{id},{pclass},{(female ? "female" : "male")},{(ageMissing ? "" : age.ToString("F1", CultureInfo.InvariantCulture))},{fare:F2},{(portMissing ? "NA" : embarked.ToString())},{(survived ? 1 : 0)}\n");
        }

        return csv.ToString();
    }

    /// <summary>The schema of the generated file: pclass ordered (its index), sex and port one-hot, the id ignored, age and fare numbers; survived as 0/1.</summary>
    public static CsvOptions Schema { get; } = new()
    {
        Target = "survived",
        TargetEncoding = TargetEncoding.Numeric,
        Columns = new Dictionary<string, ColumnKind>
        {
            ["passenger"] = ColumnKind.Ignore,
            ["pclass"] = ColumnKind.Label,
            ["sex"] = ColumnKind.OneHot,
            ["embarked"] = ColumnKind.OneHot,
        },
    };
}
