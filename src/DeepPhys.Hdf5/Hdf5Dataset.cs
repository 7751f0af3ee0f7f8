using System.Numerics;

namespace DeepPhys.Data;

/// <summary><c>Dataset&lt;T&gt;.FromHdf5</c>: a whole HDF5 file in memory, read through <see cref="Hdf5BatchSource{T}"/>.</summary>
public static class Hdf5Dataset
{
    extension<T>(Dataset<T>) where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>
        /// Reads features and targets from two datasets of an HDF5 file into memory; see
        /// <see cref="Hdf5BatchSource{T}"/> for the shapes, types and options.
        /// </summary>
        /// <param name="path">The HDF5 file.</param>
        /// <param name="featuresDataset">The features dataset, e.g. <c>"features"</c>.</param>
        /// <param name="targetsDataset">The targets dataset, e.g. <c>"labels"</c>.</param>
        /// <param name="encoding">How the targets are read (integer <c>[N]</c> datasets are class labels under <see cref="TargetEncoding.Auto"/>).</param>
        /// <param name="classes">The class labels in output order, the same for a training and a test file; by default the file's, in numeric order.</param>
        /// <param name="channelsLast">The features are channels-last (Keras's <c>[N, H, W, C]</c>); each sample becomes channels-first.</param>
        /// <exception cref="FormatException">The file is not HDF5, or a dataset is missing or does not fit (naming file and dataset).</exception>
        public static Dataset<T> FromHdf5(string path, string featuresDataset, string targetsDataset,
            TargetEncoding encoding = TargetEncoding.Auto, IReadOnlyList<string>? classes = null, bool channelsLast = false) =>
            new Hdf5BatchSource<T>(path, featuresDataset, targetsDataset, encoding, classes, channelsLast).ReadAll();
    }
}
