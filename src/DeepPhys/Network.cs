using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepPhys.Data;
using DeepPhys.Optimizers;
using DeepPhys.Metrics;
using DeepPhys.Training;

namespace DeepPhys;

/// <summary>
/// The runtime half of a generated network: the parameter and gradient buffers, the activation
/// workspace, and the training loop. The generator derives each <c>[Network]</c> class from this
/// type and writes <see cref="InitializeParameters"/>, <see cref="TrainBatch"/>,
/// <see cref="PredictBatch"/>, <see cref="EvaluateBatch"/>, <see cref="ForwardBatch"/> and <see cref="BackwardBatch"/> as straight-line code.
/// </summary>
/// <remarks>
/// <see cref="Predict(ReadOnlySpan{T}, Span{T})"/> and <see cref="Evaluate(Dataset{T}, int)"/> may run on any number of
/// threads at once: each call rents a workspace of its own. Training (<c>TrainStep</c>, <c>Fit</c>) writes the one
/// training workspace and the gradients, so it runs on one thread at a time; a second throws <see cref="InvalidOperationException"/>.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Network<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per chunk when <see cref="Predict(ReadOnlySpan{T}, Span{T})"/> gets a large batch, so inference never grows the workspace past it.</summary>
    private const int PredictChunk = 1024;

    private readonly T[] parameters;
    private readonly T[] gradients;
    private readonly T[] state;

    /// <summary>The last training step's loss parts (<see cref="NetworkDefinition.LossParts"/>), which the generated step reports.</summary>
    private readonly double[] lossParts;
    private T[] activations = [];
    private T[] deltas = [];
    private T[] sampleWeights = [];

    /// <summary>The inputs of the last <see cref="Forward"/>, which its <see cref="Backward"/> reads again (a first layer's weight gradient).</summary>
    private T[] forwardInputs = [];

    /// <summary>The batch of the <see cref="Forward"/> whose workspace a <see cref="Backward"/> may still use; 0 when there is none.</summary>
    private int forwardBatch;

    /// <summary>Where <see cref="InputGradient"/>'s backward pass puts the parameter gradients some layers need on the way (a recurrent layer's), so <see cref="Gradients"/> keeps the last training step's.</summary>
    private T[] spareGradients = [];

    /// <summary>The outputs an evaluation scores, kept between calls: a new array per call would be garbage every epoch of a fit with validation.</summary>
    private T[] evaluationOutputs = [];
    private bool weighted;

    /// <summary>The per-feature errors <see cref="ReconstructionError"/> averages, kept between calls so scoring allocates nothing.</summary>
    private T[] reconstructionErrors = [];

    /// <summary>1 while a training step or a fit runs: the training workspace and the gradients have one writer.</summary>
    private int training;

    /// <summary>
    /// Idle inference workspaces, kept between calls so that steady-state prediction allocates nothing: a call takes
    /// one, or makes one when all are in use, and puts it back in a free slot (or drops it when none is free).
    /// </summary>
    private readonly InferenceWorkspace?[] idleWorkspaces = new InferenceWorkspace?[Math.Max(4, Environment.ProcessorCount)];

    /// <summary>Creates the buffers and initialises the parameters from <paramref name="seed"/>.</summary>
    /// <param name="definition">The generator's description of the network.</param>
    /// <param name="seed">Seeds the one random stream used for initialisation and shuffling.</param>
    protected Network(NetworkDefinition definition, int seed)
    {
        Definition = definition;
        parameters = new T[definition.ParameterCount];
        gradients = new T[definition.ParameterCount];
        state = new T[definition.StateCount];
        lossParts = new double[definition.LossParts.Count];
        Reset(seed);
    }

    /// <summary>The generator's description of the network: sizes, layers, offsets and summary.</summary>
    public NetworkDefinition Definition { get; }

    /// <summary>Features per sample.</summary>
    public int InputSize => Definition.InputSize;

    /// <summary>Outputs per sample.</summary>
    public int OutputSize => Definition.OutputSize;

    /// <summary>Number of trainable parameters.</summary>
    public int ParameterCount => Definition.ParameterCount;

    /// <summary>The Keras-like summary table: layers, output shapes and parameter counts.</summary>
    public string Summary => Definition.Summary;

    /// <summary>All parameters in one contiguous buffer, laid out as <see cref="NetworkDefinition.Layers"/> says.</summary>
    public Span<T> Parameters => parameters;

    /// <summary>The gradient of the last <see cref="TrainStep(ReadOnlySpan{T}, ReadOnlySpan{T})"/>'s or <see cref="Backward"/>'s loss, laid out like <see cref="Parameters"/>.</summary>
    public ReadOnlySpan<T> Gradients => gradients;

    /// <summary>
    /// The parts of the last training step's loss, in <see cref="NetworkDefinition.LossParts"/> order, each unweighted (a VAE's
    /// reconstruction error, then its KL divergence): the step's loss is their sum, each times its weight. Empty for a loss of one part.
    /// </summary>
    public ReadOnlySpan<double> LastLossParts => lossParts;

    /// <summary>
    /// Non-trainable state beside the parameters: batch norm's running means and variances
    /// (<see cref="NetworkDefinition.StateCount"/> values, empty without batch norm). Training steps update it;
    /// optimizers, penalties and clipping never see it, since they work on <see cref="Parameters"/> and <see cref="Gradients"/>.
    /// </summary>
    public Span<T> State => state;

    /// <summary>The network's random stream: initialisation, then shuffling in <c>Fit</c> and the dropout masks of training steps.</summary>
    public RandomStream Random { get; private set; } = null!;

    /// <summary>Re-seeds the random stream and initialises the parameters and the state again (Glorot or He by activation, zero biases; running means 0, variances 1).</summary>
    /// <param name="seed">The seed; the same seed gives bit-identical parameters.</param>
    public void Reset(int seed)
    {
        Random = new RandomStream(seed);
        parameters.AsSpan().Clear();
        InitializeParameters(parameters, Random);
        InitializeState(state);
    }

    /// <summary>
    /// Re-seeds the random stream only, leaving the parameters and the state as they are: the next
    /// training steps draw the same dropout masks after the same re-seed (a gradient check re-seeds before each step).
    /// </summary>
    /// <param name="seed">The seed.</param>
    public void Reseed(int seed) => Random = new RandomStream(seed);

    /// <summary>
    /// Copies into this network the parameters of <paramref name="source"/>'s layers of the same names: each of this network's
    /// tensors (<see cref="Serialization.ParameterTensor.Of"/>: <c>dec1.weight</c>, <c>dec1.bias</c>, …) from the source's tensor of that
    /// name and shape. A VAE's decoder runs on its own this way: declare it as a second network reading <c>z</c>, with the VAE's
    /// decoder layer names, and copy the trained VAE into it (<c>decoder.CopyParametersFrom(vae)</c>); the source's other layers
    /// (the encoder) are not read.
    /// </summary>
    /// <param name="source">The trained network; it may be of another class and size.</param>
    /// <exception cref="ArgumentException">
    /// The source has no tensor of one of this network's names, or one of another shape: the message names it, and no parameter is changed.
    /// </exception>
    public void CopyParametersFrom(Network<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var available = Serialization.ParameterTensor.Of(source.Definition).ToDictionary(tensor => tensor.Name, StringComparer.Ordinal);
        var wanted = Serialization.ParameterTensor.Of(Definition);
        foreach (var tensor in wanted)
        {
            if (!available.TryGetValue(tensor.Name, out var match))
            {
                throw new ArgumentException($"{source.Definition.Name} has no tensor '{tensor.Name}' for {Definition.Name}; it has {string.Join(", ", available.Keys)}.", nameof(source));
            }

            if (!match.Shape.SequenceEqual(tensor.Shape))
            {
                throw new ArgumentException(
                    $"{source.Definition.Name}'s '{tensor.Name}' is [{string.Join(", ", match.Shape)}], but {Definition.Name}'s is [{string.Join(", ", tensor.Shape)}].", nameof(source));
            }
        }

        // The same name and shape is the same layout in both buffers (a dense weight transposed alike), so the block copies as it is.
        foreach (var tensor in wanted) source.parameters.AsSpan(available[tensor.Name].Offset, tensor.Count).CopyTo(parameters.AsSpan(tensor.Offset, tensor.Count));
    }

    /// <summary>
    /// One training step on a batch: forward pass with cached activations, the loss, and the
    /// backward pass into <see cref="Gradients"/> (overwritten). Parameters are not changed.
    /// </summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="targets">Row-major <c>[batch, OutputSize]</c>: one-hot rows for categorical cross-entropy.</param>
    /// <returns>The mean loss over the batch.</returns>
    /// <exception cref="ArgumentException">A length does not fit the network's sizes, or a value is NaN or infinite (the message names the first).</exception>
    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
    {
        int batch = BatchSize(inputs, nameof(inputs));
        CheckLength(targets, batch * OutputSize, batch, nameof(targets));
        CheckFinite(inputs, InputSize, nameof(inputs));
        CheckFinite(targets, OutputSize, nameof(targets));
        using var hold = HoldForTraining();
        EnsureWorkspace(batch, nameof(inputs));
        return TrainBatch(inputs, targets, batch);
    }

    /// <summary>
    /// <see cref="TrainStep(ReadOnlySpan{T}, ReadOnlySpan{T})"/> with each sample's loss multiplied by its
    /// weight: the loss is <c>Σ wᵢℓᵢ / batch</c> (Keras's weighted loss) and the gradient is its gradient.
    /// </summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="targets">Row-major <c>[batch, OutputSize]</c>.</param>
    /// <param name="sampleWeights">One weight per sample.</param>
    /// <returns>The weighted loss over the batch.</returns>
    /// <exception cref="ArgumentException">A length does not fit the network's sizes or the batch, a value is NaN or infinite, or a weight is negative (the message names the first).</exception>
    public T TrainStep(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> sampleWeights)
    {
        int batch = BatchSize(inputs, nameof(inputs));
        CheckLength(targets, batch * OutputSize, batch, nameof(targets));
        if (sampleWeights.Length != batch)
        {
            throw new ArgumentException($"{nameof(sampleWeights)} has {sampleWeights.Length} values; expected one per sample ({batch}).", nameof(sampleWeights));
        }

        CheckFinite(inputs, InputSize, nameof(inputs));
        CheckFinite(targets, OutputSize, nameof(targets));
        Finite.CheckWeights(sampleWeights, nameof(sampleWeights));

        using var hold = HoldForTraining();
        EnsureWorkspace(batch, nameof(inputs));
        sampleWeights.CopyTo(this.sampleWeights);
        return TrainWeightedBatch(inputs, targets, batch);
    }

    /// <summary>Predicts a batch (or one sample): <paramref name="outputs"/> gets the output layer's activations.</summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="outputs">Row-major <c>[batch, OutputSize]</c>.</param>
    /// <exception cref="ArgumentException">A length does not fit the network's sizes.</exception>
    public void Predict(ReadOnlySpan<T> inputs, Span<T> outputs)
    {
        int batch = BatchSize(inputs, nameof(inputs));
        CheckLength(outputs, batch * OutputSize, batch, nameof(outputs));
        var workspace = RentWorkspace();
        try
        {
            int chunk = Math.Min(PredictChunk, LargestBatch);
            for (int start = 0; start < batch; start += chunk)
            {
                int rows = Math.Min(chunk, batch - start);
                var activations = workspace.Activations(WorkspaceLength(rows, nameof(inputs)));
                PredictBatch(inputs.Slice(start * InputSize, rows * InputSize), outputs.Slice(start * OutputSize, rows * OutputSize), activations, rows);
            }
        }
        finally
        {
            ReturnWorkspace(workspace);
        }
    }

    /// <summary>Predicts a batch (or one sample) into a new array of <c>batch × OutputSize</c> values.</summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    public T[] Predict(ReadOnlySpan<T> inputs)
    {
        var outputs = new T[BatchSize(inputs, nameof(inputs)) * OutputSize];
        Predict(inputs, outputs);
        return outputs;
    }

    /// <summary>
    /// The anomaly score of an autoencoder (a network whose outputs reconstruct its inputs): each sample's mean squared
    /// reconstruction error, <c>Σⱼ (x̂ⱼ − xⱼ)² / InputSize</c>, from <see cref="Predict(ReadOnlySpan{T}, Span{T})"/>'s outputs.
    /// After the first call with a batch this large it allocates nothing.
    /// </summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="scores">Receives one error per sample, <c>[batch]</c>.</param>
    /// <exception cref="ArgumentException">The network's output size differs from its input size, or a length does not fit.</exception>
    public void ReconstructionError(ReadOnlySpan<T> inputs, Span<T> scores)
    {
        int batch = AutoencoderBatch(inputs);
        CheckLength(scores, batch, batch, nameof(scores), "score");
        // Chunked as Predict, so the per-feature buffer never grows past PredictChunk rows.
        int rows = Math.Min(batch, PredictChunk);
        if (reconstructionErrors.Length < rows * InputSize) reconstructionErrors = new T[rows * InputSize];
        T features = T.CreateTruncating(InputSize);
        for (int start = 0; start < batch; start += rows)
        {
            int count = Math.Min(rows, batch - start);
            var perFeature = reconstructionErrors.AsSpan(0, count * InputSize);
            ReconstructionErrors(inputs.Slice(start * InputSize, count * InputSize), perFeature);
            for (int i = 0; i < count; i++) scores[start + i] = TensorPrimitives.Sum<T>(perFeature.Slice(i * InputSize, InputSize)) / features;
        }
    }

    /// <summary>
    /// Each feature's squared reconstruction error <c>(x̂ⱼ − xⱼ)²</c> of an autoencoder: which features make a sample anomalous.
    /// After the first call with a batch this large it allocates nothing.
    /// </summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="perFeature">Receives <c>[batch, InputSize]</c> squared errors.</param>
    /// <exception cref="ArgumentException">The network's output size differs from its input size, or a length does not fit.</exception>
    public void ReconstructionErrors(ReadOnlySpan<T> inputs, Span<T> perFeature)
    {
        int batch = AutoencoderBatch(inputs);
        CheckLength(perFeature, batch * InputSize, batch, nameof(perFeature), "features");
        Predict(inputs, perFeature);
        TensorPrimitives.Subtract(perFeature, inputs, perFeature);
        TensorPrimitives.Multiply(perFeature, perFeature, perFeature);
    }

    /// <summary>
    /// The forward pass of a step whose loss is computed outside the network (PyTorch's <c>model.train()</c> and
    /// <c>outputs = model(inputs)</c>): training mode (dropout masks drawn, batch norm on the batch's statistics, its running
    /// averages moved), <paramref name="outputs"/> as <see cref="Predict(ReadOnlySpan{T}, Span{T})"/> gives them (softmax and
    /// sigmoid applied), and the workspace kept for the one <see cref="Backward"/> that follows.
    /// </summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="outputs">Row-major <c>[batch, OutputSize]</c>; several outputs side by side, in loss order.</param>
    /// <exception cref="ArgumentException">A length does not fit the network's sizes.</exception>
    public void Forward(ReadOnlySpan<T> inputs, Span<T> outputs)
    {
        int batch = BatchSize(inputs, nameof(inputs));
        CheckLength(outputs, batch * OutputSize, batch, nameof(outputs));
        EnsureWorkspace(batch, nameof(inputs));
        inputs.CopyTo(forwardInputs);
        ForwardBatch(inputs, outputs, batch, training: true);
        forwardBatch = batch;
    }

    /// <summary>
    /// The backward pass of the last <see cref="Forward"/> from the gradient of a loss computed outside the network with
    /// respect to its outputs (PyTorch's <c>outputs.backward(outputGradient)</c>): <see cref="Gradients"/> overwritten with the
    /// loss's gradient, and the gradient with respect to the inputs when <paramref name="inputGradient"/> is not empty.
    /// Parameters are not changed (<see cref="ApplyGradients"/>). As in PyTorch, each backward pass needs its own forward pass.
    /// </summary>
    /// <param name="outputGradient">dL/d outputs, <c>[batch, OutputSize]</c> laid out as <see cref="Forward"/>'s outputs; the loss weights of a network with several outputs do not apply.</param>
    /// <param name="inputGradient">Receives dL/d inputs, <c>[batch, InputSize]</c> laid out as the inputs (each input's gradient in its columns), or empty to skip it.</param>
    /// <exception cref="InvalidOperationException">No <see cref="Forward"/> since the last backward pass or another use of the workspace.</exception>
    /// <exception cref="ArgumentException">A length does not fit the forward pass's batch.</exception>
    public void Backward(ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        int batch = forwardBatch;
        if (batch == 0)
        {
            throw new InvalidOperationException(
                $"{Definition.Name}.Backward needs a Forward just before it: each backward pass uses the workspace of its own forward pass, which a training step, another Forward or an InputGradient overwrites.");
        }

        CheckLength(outputGradient, batch * OutputSize, batch, nameof(outputGradient));
        if (!inputGradient.IsEmpty) CheckLength(inputGradient, batch * InputSize, batch, nameof(inputGradient), "inputs");
        forwardBatch = 0;
        BackwardBatch(forwardInputs.AsSpan(0, batch * InputSize), outputGradient, inputGradient, gradients, batch, training: true);
    }

    /// <summary>Lets <paramref name="optimizer"/> update the parameters from <see cref="Gradients"/>: the step after <see cref="Backward"/>.</summary>
    /// <param name="optimizer">Keeps its state across calls and is bound to this network's parameters.</param>
    public void ApplyGradients(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.Step<T>(parameters, gradients);
    }

    /// <summary>
    /// The gradient of a function of the outputs with respect to the inputs, in inference mode (dropout off, batch norm on its
    /// running statistics, as <see cref="Predict(ReadOnlySpan{T}, Span{T})"/>): a saliency map is the gradient of one class's
    /// output, <paramref name="outputGradient"/> 1 at that class and 0 elsewhere. <see cref="Parameters"/>,
    /// <see cref="Gradients"/> and <see cref="State"/> are left as they are.
    /// </summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="outputGradient">d f/d outputs, <c>[batch, OutputSize]</c>.</param>
    /// <param name="inputGradient">Receives d f/d inputs, <c>[batch, InputSize]</c>.</param>
    /// <exception cref="ArgumentException">A length does not fit the network's sizes or the batch.</exception>
    public void InputGradient(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        int batch = BatchSize(inputs, nameof(inputs));
        CheckLength(outputGradient, batch * OutputSize, batch, nameof(outputGradient));
        CheckLength(inputGradient, batch * InputSize, batch, nameof(inputGradient), "inputs");
        EnsureWorkspace(batch, nameof(inputs));
        if (spareGradients.Length == 0) spareGradients = new T[ParameterCount];
        ForwardBatch(inputs, default, batch, training: false);
        BackwardBatch(inputs, outputGradient, inputGradient, spareGradients, batch, training: false);
    }

    /// <summary>
    /// Trains with mini-batch gradient descent: each epoch shuffles the samples with the network's
    /// random stream (unless <paramref name="shuffle"/> is false), runs <see cref="TrainStep(ReadOnlySpan{T}, ReadOnlySpan{T})"/> per
    /// batch (the last one may be smaller) and lets <paramref name="optimizer"/> update the parameters.
    /// A batch size of 1 is stochastic gradient descent; the whole set is batch gradient descent.
    /// </summary>
    /// <param name="train">The training samples.</param>
    /// <param name="optimizer">Updates the parameters from the gradients; keeps its state across calls.</param>
    /// <param name="epochs">Passes over <paramref name="train"/>.</param>
    /// <param name="batchSize">Samples per step.</param>
    /// <param name="validation">Evaluated after every epoch when given.</param>
    /// <param name="shuffle">Reshuffle the samples every epoch.</param>
    /// <param name="progress">Receives each epoch's figures as soon as they are known.</param>
    /// <param name="cancellationToken">Checked between steps; the parameters are those of the last completed step.</param>
    /// <returns>Loss and accuracy per epoch.</returns>
    public History Fit(
        Dataset<T> train,
        Optimizer optimizer,
        int epochs,
        int batchSize = 32,
        Dataset<T>? validation = null,
        bool shuffle = true,
        IProgress<EpochResult>? progress = null,
        CancellationToken cancellationToken = default) =>
        Fit(train, optimizer, new FitOptions<T>
        {
            Epochs = epochs, BatchSize = batchSize, Validation = validation, Shuffle = shuffle, Progress = progress,
        }, cancellationToken);

    /// <summary>
    /// Trains as the other overload, with a schedule, weight penalties, gradient clipping and
    /// callbacks. Each step: forward and backward pass, the penalties' gradients added, the
    /// gradient clipped, the learning rate set by the schedule, the optimizer's step, the callbacks'
    /// <see cref="Callback.OnBatchEnd"/>. A callback's <see cref="TrainingContext.Stop"/> ends the
    /// epoch after the current step and then training; <see cref="History.StopReason"/> says why.
    /// </summary>
    /// <param name="train">The training samples.</param>
    /// <param name="optimizer">Updates the parameters from the gradients; keeps its state across calls.</param>
    /// <param name="options">Epochs, batch size, validation, schedule, penalties, clipping, callbacks.</param>
    /// <param name="cancellationToken">
    /// Checked before every step: cancellation throws <see cref="OperationCanceledException"/> and
    /// leaves the parameters and the optimizer as the last completed step left them.
    /// </param>
    /// <returns>The figures per epoch, and why training stopped early if it did.</returns>
    public History Fit(Dataset<T> train, Optimizer optimizer, FitOptions<T> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Epochs, nameof(options.Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        CheckShape(train, nameof(train));
        var validation = options.Validation;
        if (validation is not null) CheckShape(validation, nameof(options.Validation));
        if (validation is { Count: 0 })
        {
            throw new ArgumentException(
                "The validation set is empty: val_loss and val_accuracy would be NaN. Give at least one sample, or no validation set.", nameof(options.Validation));
        }

        if (train.Count == 0) throw new ArgumentException("The training set is empty.", nameof(train));

        using var hold = HoldForTraining();
        EnsureWorkspace(Math.Min(options.BatchSize, train.Count), nameof(options.BatchSize));
        optimizer.BindNetwork(this);
        return TrainEpochs(train, optimizer, options, validation, cancellationToken);
    }

    /// <summary>The body of <see cref="Fit(Dataset{T}, Optimizer, FitOptions{T}, CancellationToken)"/>, its arguments checked and the network held for training.</summary>
    private History TrainEpochs(Dataset<T> train, Optimizer optimizer, FitOptions<T> options, Dataset<T>? validation, CancellationToken cancellationToken)
    {
        var weighting = SampleWeighting<T>.For(options, train, Definition);
        var penalties = options.Regularizers.Select(r => (Penalty: r, Ranges: r.Ranges(Definition))).ToArray();
        var history = new History(options.Epochs);
        var context = new TrainingContext<T>(this, optimizer, options.Epochs, history);
        // An array, because foreach over the IReadOnlyList would box an enumerator every batch.
        Callback[] callbacks = [.. options.Callbacks];
        int rows = Math.Min(options.BatchSize, train.Count);
        var batchInputs = new T[rows * InputSize];
        var batchTargets = new T[rows * OutputSize];
        var order = new int[train.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var startTime = System.Diagnostics.Stopwatch.GetTimestamp();
        var display = ConsoleProgress.For(options.Display, Console.IsOutputRedirected, options.Progress is not null, Console.Out, options.Epochs);
        foreach (var callback in callbacks) callback.OnTrainBegin(context);
        var partSums = new double[lossParts.Length];

        for (int epoch = 1; epoch <= options.Epochs && context.StopReason is null; epoch++)
        {
            context.Epoch = epoch;
            foreach (var callback in callbacks) callback.OnEpochBegin(context);
            if (options.Shuffle) Random.Shuffle(order.AsSpan());
            double lossSum = 0;
            Array.Clear(partSums);
            long correct = 0, judged = 0;
            int seen = 0;
            for (int start = 0, batchIndex = 0; start < order.Length && context.StopReason is null; start += rows, batchIndex++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int batch = Math.Min(rows, order.Length - start);
                var inputs = batchInputs.AsSpan(0, batch * InputSize);
                var targets = batchTargets.AsSpan(0, batch * OutputSize);
                train.Gather(order.AsSpan(start, batch), inputs, targets);
                T batchLoss;
                if (weighting is null)
                {
                    batchLoss = TrainBatch(inputs, targets, batch);
                }
                else
                {
                    weighting.Fill(order.AsSpan(start, batch), targets, sampleWeights);
                    batchLoss = TrainWeightedBatch(inputs, targets, batch);
                }

                double loss = double.CreateTruncating(batchLoss);
                foreach (var (penalty, ranges) in penalties) loss += penalty.Apply<T>(ranges, parameters, gradients);
                options.Clipping?.Apply<T>(gradients);
                if (options.Schedule is { } schedule) optimizer.LearningRate = schedule.Rate(optimizer.BaseLearningRate, epoch - 1, optimizer.Steps);
                optimizer.Step<T>(parameters, gradients);
                lossSum += loss * batch;
                for (int part = 0; part < partSums.Length; part++) partSums[part] += lossParts[part] * batch;
                seen += batch;
                var outputs = activations.AsSpan(batch * Definition.OutputOffsetPerSample, batch * OutputSize);
                var (right, total) = Scoring.CountCorrect<T>(Definition.Loss, outputs, targets, OutputSize, fromLogits: true);
                correct += right;
                judged += total;
                context.LastBatch = batch;
                foreach (var callback in callbacks) callback.OnBatchEnd(context, batchIndex, loss);
            }

            var result = new EpochResult(
                epoch,
                lossSum / seen,
                judged > 0 ? (double)correct / judged : null,
                validation is null ? null : Evaluate(validation, confusionMatrix: false),
                System.Diagnostics.Stopwatch.GetElapsedTime(startTime))
            {
                LearningRate = optimizer.LearningRate,
                LossParts = EpochResult.Parts(Definition.LossParts, partSums, seen),
            };
            history.Add(result);
            foreach (var callback in callbacks) callback.OnEpochEnd(context, result);
            options.Progress?.Report(result);
            display?.Report(result);
        }

        display?.Finish();
        history.StopReason = context.StopReason;
        foreach (var callback in callbacks) callback.OnTrainEnd(context);
        return history;
    }

    /// <summary>
    /// The first layer whose activations of the last <paramref name="batch"/> rows (forward order)
    /// or, failing that, whose gradients (backward order) hold a NaN or an infinity.
    /// </summary>
    internal NonFiniteLocation? FindNonFinite(int batch)
    {
        var layers = Definition.Layers;
        for (int i = 0, offset = 0; i < layers.Count; offset += batch * layers[i].OutputSize, i++)
        {
            if (Finite.IndexOfNonFinite<T>(activations.AsSpan(offset, batch * layers[i].OutputSize)) >= 0) return new(layers[i].Name, i + 1, "activations");
        }

        for (int i = layers.Count - 1; i >= 0; i--)
        {
            if (Finite.IndexOfNonFinite<T>(gradients.AsSpan(layers[i].ParameterOffset, layers[i].ParameterCount)) >= 0) return new(layers[i].Name, i + 1, "gradients");
        }

        return null;
    }

    /// <summary>Loss, accuracy, confusion matrix and the curves that fit the loss (ROC, regression figures) of the network on <paramref name="data"/>; parameters are not changed.</summary>
    /// <param name="data">The samples to evaluate.</param>
    /// <param name="batchSize">Samples per forward pass.</param>
    public Evaluation Evaluate(Dataset<T> data, int batchSize = 256) => Evaluate(data, confusionMatrix: true, batchSize);

    private Evaluation Evaluate(Dataset<T> data, bool confusionMatrix, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        CheckShape(data, nameof(data));
        if (data.Count == 0) throw new ArgumentException("The data set is empty: its loss and accuracy would be NaN.", nameof(data));
        var workspace = RentWorkspace();
        try
        {
            return Evaluate(data, confusionMatrix, batchSize, workspace);
        }
        finally
        {
            ReturnWorkspace(workspace);
        }
    }

    private Evaluation Evaluate(Dataset<T> data, bool confusionMatrix, int batchSize, InferenceWorkspace workspace)
    {
        var outputs = workspace.Outputs(data.Count * OutputSize);
        int rows = Math.Min(batchSize, data.Count);
        double lossSum = 0;
        for (int start = 0; start < data.Count; start += rows)
        {
            int batch = Math.Min(rows, data.Count - start);
            T loss = EvaluateBatch(
                data.Features.Slice(start * InputSize, batch * InputSize),
                data.Targets.Slice(start * OutputSize, batch * OutputSize),
                outputs.Slice(start * OutputSize, batch * OutputSize),
                workspace.Activations(WorkspaceLength(batch, nameof(batchSize))),
                batch);
            lossSum += double.CreateTruncating(loss) * batch;
        }

        var (correct, judged) = Scoring.CountCorrect<T>(Definition.Loss, outputs, data.Targets, OutputSize, fromLogits: false);
        var evaluation = new Evaluation(
            lossSum / data.Count,
            judged > 0 ? (double)correct / judged : null,
            confusionMatrix ? Scoring.ConfusionMatrix<T>(Definition.Loss, outputs, data.Targets, OutputSize, data.ClassNames) : null);
        return confusionMatrix ? Scoring.AddCurves<T>(evaluation, Definition.Loss, outputs, data.Targets, OutputSize, data.ClassNames) : evaluation;
    }

    /// <summary>Fills <paramref name="parameters"/> (cleared beforehand) from <paramref name="random"/>.</summary>
    protected abstract void InitializeParameters(Span<T> parameters, RandomStream random);

    /// <summary>Sets the non-trainable state to its initial values; networks without state have none to set.</summary>
    protected virtual void InitializeState(Span<T> state)
    {
    }

    /// <summary>Forward, loss and backward for <paramref name="batch"/> rows; sizes are already checked and the workspace is large enough.</summary>
    protected abstract T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch);

    /// <summary>Forward pass writing the output layer's activations; sizes are already checked.</summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="outputs">Row-major <c>[batch, OutputSize]</c>.</param>
    /// <param name="a">This call's own activations, <c>batch × ActivationsPerSample</c> values: calls on other threads have theirs.</param>
    /// <param name="batch">Rows.</param>
    protected abstract void PredictBatch(ReadOnlySpan<T> inputs, Span<T> outputs, Span<T> a, int batch);

    /// <summary>Forward pass writing the outputs and returning the mean loss; sizes are already checked.</summary>
    /// <param name="inputs">Row-major <c>[batch, InputSize]</c>.</param>
    /// <param name="targets">Row-major <c>[batch, OutputSize]</c>.</param>
    /// <param name="outputs">Row-major <c>[batch, OutputSize]</c>.</param>
    /// <param name="a">This call's own activations, as in <see cref="PredictBatch"/>.</param>
    /// <param name="batch">Rows.</param>
    protected abstract T EvaluateBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> outputs, Span<T> a, int batch);

    /// <summary>
    /// Forward pass keeping the workspace for <see cref="BackwardBatch"/>, the outputs' activations applied in place, then
    /// copied into <paramref name="outputs"/> unless it is empty; sizes are already checked.
    /// </summary>
    /// <exception cref="NotSupportedException">A network without a generated backward pass (one written by hand).</exception>
    protected virtual void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs, int batch, bool training) => throw NoBackwardPass();

    /// <summary>
    /// Backward pass after <see cref="ForwardBatch"/> in the same mode, from <paramref name="outputGradient"/>: parameter
    /// gradients into <paramref name="g"/> (in training; in inference only those some layer's input gradient needs), and the
    /// input gradient into <paramref name="inputGradient"/> unless it is empty; sizes are already checked.
    /// </summary>
    /// <exception cref="NotSupportedException">A network without a generated backward pass (one written by hand).</exception>
    protected virtual void BackwardBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, Span<T> g, int batch, bool training) =>
        throw NoBackwardPass();

    /// <summary>For generated code: part <paramref name="part"/> of the training step's loss (<see cref="LastLossParts"/>).</summary>
    /// <param name="part">The index in <see cref="NetworkDefinition.LossParts"/>.</param>
    /// <param name="value">The part's unweighted value.</param>
    protected void ReportLossPart(int part, T value) => lossParts[part] = double.CreateTruncating(value);

    /// <summary>The parameter buffer, for generated code.</summary>
    protected ReadOnlySpan<T> ParameterBuffer => parameters;

    /// <summary>The gradient buffer, for generated code.</summary>
    protected Span<T> GradientBuffer => gradients;

    /// <summary>
    /// The current batch's sample weights for the generated loss kernels: one per row while a
    /// weighted step runs, empty otherwise (the kernels then run unweighted).
    /// </summary>
    protected ReadOnlySpan<T> SampleWeights(int batch) => weighted ? sampleWeights.AsSpan(0, batch) : default;

    /// <summary>Layer outputs of the current batch: <c>batch × ActivationsPerSample</c> values, layer by layer.</summary>
    protected Span<T> Activations(int batch) => activations.AsSpan(0, batch * Definition.ActivationsPerSample);

    /// <summary>Loss gradients with respect to the layer outputs, laid out like <see cref="Activations"/>.</summary>
    protected Span<T> Deltas(int batch) => deltas.AsSpan(0, batch * Definition.ActivationsPerSample);

    /// <summary><see cref="TrainBatch"/> with the first <paramref name="batch"/> values of the weight buffer as sample weights.</summary>
    private T TrainWeightedBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch)
    {
        weighted = true;
        try
        {
            return TrainBatch(inputs, targets, batch);
        }
        finally
        {
            weighted = false;
        }
    }

    private NotSupportedException NoBackwardPass() => new($"{Definition.Name} has no generated forward and backward passes to call one by one.");

    /// <summary>Marks the network as training until the hold is disposed; throws when it already is.</summary>
    private TrainingHold HoldForTraining()
    {
        if (Interlocked.CompareExchange(ref training, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                $"{Definition.Name} is already training (TrainStep or Fit on another thread, or from a callback of its Fit): a network trains on one thread at a time. Predict and Evaluate may run on any number of threads.");
        }

        return new TrainingHold(this);
    }

    private readonly ref struct TrainingHold(Network<T> network)
    {
        public void Dispose() => Volatile.Write(ref network.training, 0);
    }

    private InferenceWorkspace RentWorkspace()
    {
        for (int i = 0; i < idleWorkspaces.Length; i++)
        {
            if (Interlocked.Exchange(ref idleWorkspaces[i], null) is { } workspace) return workspace;
        }

        return new InferenceWorkspace();
    }

    private void ReturnWorkspace(InferenceWorkspace workspace)
    {
        for (int i = 0; i < idleWorkspaces.Length; i++)
        {
            if (Interlocked.CompareExchange(ref idleWorkspaces[i], workspace, null) is null) return;
        }
    }

    /// <summary>The most rows whose activations fit in an array.</summary>
    private int LargestBatch => Array.MaxLength / Definition.ActivationsPerSample;

    /// <summary><c>batch × ActivationsPerSample</c>, or an exception naming both and the largest batch that fits when it passes an array's limit.</summary>
    private int WorkspaceLength(int batch, string argument)
    {
        long needed = (long)batch * Definition.ActivationsPerSample;
        if (needed <= Array.MaxLength) return (int)needed;
        throw new ArgumentOutOfRangeException(
            argument, batch,
            $"A batch of {batch} samples needs {batch} × {Definition.ActivationsPerSample} = {needed} activation values ({Definition.Name}.Layout.ActivationsPerSample), "
            + $"more than an array holds ({Array.MaxLength}): the largest batch that fits is {LargestBatch}.");
    }

    /// <summary>Makes the workspace large enough for the pass about to overwrite it, which ends what a <see cref="Forward"/> kept for its <see cref="Backward"/>.</summary>
    private void EnsureWorkspace(int batch, string argument)
    {
        forwardBatch = 0;
        int needed = WorkspaceLength(batch, argument);
        if (activations.Length >= needed) return;
        activations = new T[needed];
        deltas = new T[needed];
        sampleWeights = new T[batch];
        forwardInputs = new T[batch * InputSize];
    }

    private int AutoencoderBatch(ReadOnlySpan<T> inputs)
    {
        if (OutputSize != InputSize)
        {
            throw new ArgumentException(
                $"{Definition.Name} has {OutputSize} outputs and {InputSize} inputs per sample; a reconstruction error needs an autoencoder, whose output has the input's size.",
                nameof(inputs));
        }

        return BatchSize(inputs, nameof(inputs));
    }

    private int BatchSize(ReadOnlySpan<T> inputs, string name)
    {
        if (inputs.Length == 0 || inputs.Length % InputSize != 0)
        {
            throw new ArgumentException(
                $"{name} has {inputs.Length} values; expected a positive multiple of the network's {InputSize} input features ({Definition.Name}.InputSize).",
                name);
        }

        return inputs.Length / InputSize;
    }

    /// <summary>Throws naming <paramref name="name"/>, the first NaN or infinity's index and its sample and column.</summary>
    private static void CheckFinite(ReadOnlySpan<T> values, int width, string name)
    {
        int i = Finite.IndexOfNonFinite(values);
        if (i < 0) return;
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{name}[{i}] (sample {i / width}, column {i % width}) is {values[i]}; every value must be finite."), name);
    }

    private static void CheckLength(ReadOnlySpan<T> span, int expected, int batch, string name, string values = "outputs")
    {
        if (span.Length != expected)
        {
            throw new ArgumentException(
                $"{name} has {span.Length} values; expected {expected} ({batch} samples × {expected / batch} {values}).", name);
        }
    }

    private void CheckShape(Dataset<T> data, string name)
    {
        if (data.FeatureCount != InputSize)
        {
            throw new ArgumentException(
                $"{name} has {data.FeatureCount} features per sample; {Definition.Name} expects {InputSize}.", name);
        }

        if (data.TargetCount != OutputSize)
        {
            throw new ArgumentException(
                $"{name} has {data.TargetCount} target values per sample; {Definition.Name} has {OutputSize} outputs"
                + (Definition.Loss == Loss.CategoricalCrossEntropy ? " (one-hot classes)." : "."), name);
        }
    }

    /// <summary>The buffers of one <see cref="Predict(ReadOnlySpan{T}, Span{T})"/> or <see cref="Evaluate(Dataset{T}, int)"/> call, grown as needed and reused by later calls.</summary>
    private sealed class InferenceWorkspace
    {
        private T[] activations = [];
        private T[] outputs = [];

        public Span<T> Activations(int length)
        {
            if (activations.Length < length) activations = new T[length];
            return activations.AsSpan(0, length);
        }

        /// <summary>The outputs an evaluation scores: a new array per call would be garbage every epoch of a fit with validation.</summary>
        public Span<T> Outputs(int length)
        {
            if (outputs.Length < length) outputs = new T[length];
            return outputs.AsSpan(0, length);
        }
    }
}
