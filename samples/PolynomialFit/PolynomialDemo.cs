using DeepPhys;
using DeepPhys.Data;
using DeepPhys.Optimizers;

namespace DeepPhys.Samples.PolynomialFit;

/// <summary>A straight line on x, x²… x^d: linear regression on the degree-1 polynomial features.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(1)]
[Dense(1)]
public partial class Degree1;

/// <summary>Linear regression on the features x, x², x³.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(1)]
public partial class Degree3;

/// <summary>Linear regression on the features x … x¹⁰: 11 parameters for 10 points.</summary>
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(10)]
[Dense(1)]
public partial class Degree10;

/// <summary>
/// The lecture's over/under-fitting demo: polynomials of degree 1, 3 and 10 fitted to 10 noisy
/// points of y = 2x. A polynomial of degree d is a linear model on the features x, x², … x^d,
/// i.e. a network <c>[Input(d)] [Dense(1)]</c> under mean squared error; the features are
/// standardised with the training points' statistics and the network is trained full-batch with
/// Adam for many epochs, so it gets close to the least-squares fit.
/// </summary>
public static class PolynomialDemo
{
    /// <summary>The degrees of the lecture.</summary>
    public static readonly int[] Degrees = [1, 3, 10];

    /// <summary>Points (x, y) with y = 2x + noise.</summary>
    /// <param name="X">The abscissae.</param>
    /// <param name="Y">The noisy ordinates.</param>
    public sealed record Points(double[] X, double[] Y);

    /// <summary>What one degree gives.</summary>
    /// <param name="Degree">The polynomial degree.</param>
    /// <param name="TrainMse">Mean squared error on the 10 training points.</param>
    /// <param name="TestMse">Mean squared error on fresh points of the same law.</param>
    /// <param name="CurveX">A fine grid over [0, 1].</param>
    /// <param name="CurveY">The fitted polynomial on that grid.</param>
    public sealed record DegreeFit(int Degree, double TrainMse, double TestMse, double[] CurveX, double[] CurveY);

    /// <summary>Everything the sample prints and plots.</summary>
    /// <param name="Train">The 10 training points.</param>
    /// <param name="Test">The test points.</param>
    /// <param name="Fits">One fit per degree, in <see cref="Degrees"/> order.</param>
    public sealed record Result(Points Train, Points Test, IReadOnlyList<DegreeFit> Fits);

    /// <summary>
    /// <paramref name="count"/> points with x uniform in [0, 1] and y = 2x + a normal error of
    /// standard deviation <paramref name="noise"/>; every draw comes from <paramref name="random"/>.
    /// </summary>
    public static Points Sample(int count, double noise, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = new double[count];
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = random.NextDouble();
            y[i] = 2 * x[i] + noise * random.NextNormal();
        }

        return new Points(x, y);
    }

    /// <summary>
    /// The features P₁(u), … P_degree(u) of each point, row-major: Legendre polynomials of
    /// u = 2x − 1 (Bonnet's recursion). They span the same polynomials as x, x², … x^degree, but
    /// powers of x on [0, 1] are so nearly collinear that gradient descent would need millions of
    /// steps to reach the least-squares fit; on the Legendre basis it gets there.
    /// </summary>
    public static Dataset<double> Features(Points points, int degree)
    {
        ArgumentNullException.ThrowIfNull(points);
        var features = new double[points.X.Length * degree];
        for (int i = 0; i < points.X.Length; i++)
        {
            double u = 2 * points.X[i] - 1, previous = 1, current = u;
            for (int n = 1; n <= degree; n++)
            {
                features[i * degree + n - 1] = current;
                (previous, current) = (current, ((2 * n + 1) * u * current - n * previous) / (n + 1));
            }
        }

        return new Dataset<double>(features, degree, (double[])points.Y.Clone(), 1);
    }

    /// <summary>
    /// Draws 10 training points and <paramref name="testCount"/> test points (noise σ = 0.3) from
    /// <paramref name="seed"/>, fits each degree and evaluates it.
    /// </summary>
    /// <param name="seed">Seeds the points and the networks.</param>
    /// <param name="epochs">Full-batch Adam steps per degree.</param>
    /// <param name="testCount">Number of test points.</param>
    public static Result Run(int seed = 1, int epochs = 200_000, int testCount = 1000)
    {
        var random = new RandomStream(seed);
        var train = Sample(10, 0.3, random);
        var test = Sample(testCount, 0.3, random);
        var grid = new Points(Enumerable.Range(0, 201).Select(i => i / 200.0).ToArray(), new double[201]);
        var fits = Degrees.Select(degree =>
        {
            var scaler = StandardScaler.Fit(Features(train, degree));
            var trainData = scaler.Transform(Features(train, degree));
            var network = Network(degree, seed);
            network.Fit(trainData, new Adam(learningRate: 3e-2), epochs, batchSize: trainData.Count, shuffle: false);
            return new DegreeFit(
                degree,
                network.Evaluate(trainData).Loss,
                network.Evaluate(scaler.Transform(Features(test, degree))).Loss,
                grid.X,
                network.Predict(scaler.Transform(Features(grid, degree)).Features));
        }).ToArray();
        return new Result(train, test, fits);
    }

    private static Network<double> Network(int degree, int seed) => degree switch
    {
        1 => new Degree1(seed),
        3 => new Degree3(seed),
        10 => new Degree10(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(degree), degree, "Networks are declared for degrees 1, 3 and 10."),
    };
}
