using System.Globalization;

namespace DeepPhys.Training;

/// <summary>
/// Stops training when a monitored quantity has stopped improving, with Keras's semantics: an
/// epoch improves when it beats the best by more than <c>minDelta</c>; after <c>patience</c>
/// epochs without improvement training stops, and with <c>restoreBestWeights</c> the parameters of
/// the best epoch are put back. Epochs before <c>startFromEpoch</c> are not judged.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private readonly Monitor monitor;
    private double[]? bestWeights;
    private int wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor"><c>loss</c>, <c>accuracy</c>, <c>val_loss</c> or <c>val_accuracy</c>.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement, non-negative.</param>
    /// <param name="patience">Epochs without improvement before stopping.</param>
    /// <param name="mode">Whether the quantity should fall or rise; auto reads it from the name.</param>
    /// <param name="restoreBestWeights">Put back the parameters of the best epoch when stopping.</param>
    /// <param name="startFromEpoch">Epochs of warm-up (counted from 0, as Keras) that are not judged.</param>
    public EarlyStopping(
        string monitor = "val_loss", double minDelta = 0, int patience = 0, MonitorMode mode = MonitorMode.Auto,
        bool restoreBestWeights = false, int startFromEpoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(startFromEpoch);
        this.monitor = new Monitor(monitor, mode, minDelta);
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
        StartFromEpoch = startFromEpoch;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>Whether the best epoch's parameters are put back when stopping.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>Epochs (from 0) not judged.</summary>
    public int StartFromEpoch { get; }

    /// <summary>The best value seen.</summary>
    public double Best { get; private set; }

    /// <summary>The epoch (from 1) of the best value; 0 before any.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The epoch (from 1) at which training was stopped; 0 when it ran to the end.</summary>
    public int StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        wait = 0;
        Best = monitor.Worst;
        BestEpoch = 0;
        StoppedEpoch = 0;
        bestWeights = RestoreBestWeights ? new double[context.Definition.ParameterCount] : null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        double current = monitor.Read(result);
        if (result.Epoch - 1 < StartFromEpoch) return;
        wait++;
        if (monitor.Improves(current, Best))
        {
            Best = current;
            BestEpoch = result.Epoch;
            if (bestWeights is not null) context.CopyParameters(bestWeights);
            wait = 0;
            return;
        }

        if (wait >= Patience && result.Epoch > 1)
        {
            StoppedEpoch = result.Epoch;
            string restored = "";
            if (bestWeights is not null && BestEpoch > 0)
            {
                context.RestoreParameters(bestWeights);
                restored = $"; the parameters of epoch {BestEpoch} are restored";
            }

            context.Stop(string.Create(
                CultureInfo.InvariantCulture,
                $"Early stopping at epoch {result.Epoch}: {monitor.Quantity} has not improved on {Best:G6} (epoch {BestEpoch}) for {wait} epochs{restored}."));
        }
    }
}

/// <summary>
/// Stops training at the first step whose loss, activations or gradients are not finite, and says
/// where: the first layer whose activations (forward order) or gradients (backward order) hold a
/// NaN or an infinity. The message is in <see cref="History.StopReason"/>.
/// </summary>
public sealed class TerminateOnNaN : Callback
{
    /// <inheritdoc/>
    public override void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
        var location = context.FindNonFinite();
        if (double.IsFinite(loss) && location is null) return;
        string where = location is null
            ? "every layer's activations and gradients are finite, so the loss itself overflowed"
            : $"the {location.Quantity} of layer {location.Layer} (layer {location.LayerNumber} of {context.Definition.Layers.Count}) are the first that are not finite";
        context.Stop(string.Create(
            CultureInfo.InvariantCulture,
            $"Training diverged at epoch {context.Epoch}, batch {batch + 1}: the loss is {loss:G6} and {where}. Try a smaller learning rate or gradient clipping."));
    }
}

/// <summary>Writes one CSV row per epoch as it ends (<c>epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds</c>), so a crashed run still leaves its log.</summary>
/// <param name="path">The CSV file; replaced at the start of training unless <paramref name="append"/>.</param>
/// <param name="append">Add to an existing log (a resumed run) rather than replace it.</param>
public sealed class CsvLogger(string path, bool append = false) : Callback
{
    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        if (!append || !File.Exists(path) || new FileInfo(path).Length == 0) File.WriteAllText(path, History.CsvHeader + Environment.NewLine);
    }

    /// <summary>Appends the epoch's row and closes the file again: a cancelled or failed Fit never reaches <see cref="Callback.OnTrainEnd"/>, and no handle is left open.</summary>
    public override void OnEpochEnd(TrainingContext context, EpochResult result) =>
        File.AppendAllText(path, result.ToCsvRow() + Environment.NewLine);
}

/// <summary>Records the learning rate of every step and of every epoch's start, for plots of a schedule.</summary>
public sealed class LearningRateLogger : Callback
{
    private readonly List<double> steps = [];
    private readonly List<double> epochs = [];

    /// <summary>The rate each optimizer step used, in order.</summary>
    public IReadOnlyList<double> StepRates => steps;

    /// <summary>The rate at the end of each epoch, in order.</summary>
    public IReadOnlyList<double> EpochRates => epochs;

    /// <inheritdoc/>
    public override void OnBatchEnd(TrainingContext context, int batch, double loss) => steps.Add(context.Optimizer.LearningRate);

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result) => epochs.Add(context.Optimizer.LearningRate);
}

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c> (threshold mode <c>abs</c>, Keras's <c>min_delta</c>): when
/// the monitored quantity has not improved for more than <c>patience</c> epochs, the learning rate
/// is multiplied by <c>factor</c> (not below <c>minimumRate</c>), then <c>cooldown</c> epochs pass
/// before bad epochs count again.
/// </summary>
public sealed class ReduceLearningRateOnPlateau : Callback
{
    private readonly Monitor monitor;
    private double best;
    private int badEpochs, cooldownLeft;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor"><c>loss</c>, <c>accuracy</c>, <c>val_loss</c> or <c>val_accuracy</c>.</param>
    /// <param name="factor">The factor of each reduction, in (0, 1).</param>
    /// <param name="patience">Epochs without improvement tolerated.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement.</param>
    /// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted.</param>
    /// <param name="minimumRate">The rate is never reduced below this, positive.</param>
    /// <param name="mode">Whether the quantity should fall or rise.</param>
    public ReduceLearningRateOnPlateau(
        string monitor = "val_loss", double factor = 0.1, int patience = 10, double minDelta = 1e-4, int cooldown = 0,
        double minimumRate = 1e-12, MonitorMode mode = MonitorMode.Auto)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1).");
        if (!(minimumRate > 0 && double.IsFinite(minimumRate))) throw new ArgumentOutOfRangeException(nameof(minimumRate), minimumRate, "The minimum rate must be positive and finite.");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        this.monitor = new Monitor(monitor, mode, minDelta);
        Factor = factor;
        Patience = patience;
        Cooldown = cooldown;
        MinimumRate = minimumRate;
        best = this.monitor.Worst;
    }

    /// <summary>The factor of each reduction.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the rate.</summary>
    public double MinimumRate { get; }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        double current = monitor.Read(result);
        if (monitor.Improves(current, best))
        {
            best = current;
            badEpochs = 0;
        }
        else
        {
            badEpochs++;
        }

        if (cooldownLeft > 0)
        {
            cooldownLeft--;
            badEpochs = 0;
        }

        if (badEpochs > Patience)
        {
            double old = context.Optimizer.LearningRate, reduced = Math.Max(old * Factor, MinimumRate);
            if (old - reduced > 1e-8) context.Optimizer.LearningRate = reduced;
            cooldownLeft = Cooldown;
            badEpochs = 0;
        }
    }
}

/// <summary>
/// Saves the parameters and the optimizer's state after an epoch: every <c>every</c> epochs, or
/// only when the monitored quantity improves (<c>saveBestOnly</c>). Each save is atomic (see
/// <see cref="Checkpoint"/>): a crash mid-save leaves the last good file in place.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly Monitor monitor;
    private double best;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The file; <c>{epoch}</c> in it is replaced by the epoch number.</param>
    /// <param name="monitor">The quantity judged when <paramref name="saveBestOnly"/>.</param>
    /// <param name="saveBestOnly">Save only when the monitored quantity improves on the best so far.</param>
    /// <param name="every">Save every this many epochs (ignored with <paramref name="saveBestOnly"/>).</param>
    /// <param name="mode">Whether the quantity should fall or rise.</param>
    public ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, int every = 1, MonitorMode mode = MonitorMode.Auto)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        Path = path;
        this.monitor = new Monitor(monitor, mode, 0);
        SaveBestOnly = saveBestOnly;
        Every = every;
        best = this.monitor.Worst;
    }

    /// <summary>The file pattern.</summary>
    public string Path { get; }

    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Epochs between saves.</summary>
    public int Every { get; }

    /// <summary>The epoch (from 1) last saved; 0 before any.</summary>
    public int LastSavedEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        if (SaveBestOnly)
        {
            double current = monitor.Read(result);
            if (!monitor.Improves(current, best)) return;
            best = current;
        }
        else if (result.Epoch % Every != 0)
        {
            return;
        }

        string path = Path.Replace("{epoch}", result.Epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (context.FindUnsavable() is { } bad)
        {
            // Training cannot recover from a NaN, and the last finite file is worth more than an exception out of Fit.
            context.Stop(string.Create(CultureInfo.InvariantCulture, $"ModelCheckpoint: after epoch {result.Epoch} {bad} is not finite, so {path} keeps epoch {LastSavedEpoch}."));
            return;
        }

        context.SaveCheckpoint(path);
        LastSavedEpoch = result.Epoch;
    }
}
