using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace DeepPhys.Generators.Model
{
    /// <summary>
    /// An immutable array compared by its elements, so pipeline values holding it keep value
    /// equality and the incremental generator can cache them (a plain array compares by reference).
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        public static readonly EquatableArray<T> Empty = new(Array.Empty<T>());

        private readonly T[]? items;

        public EquatableArray(T[] items) => this.items = items;

        public EquatableArray(IEnumerable<T> items) => this.items = items.ToArray();

        public int Count => Items.Length;

        public T this[int index] => Items[index];

        /// <summary>The elements; a default instance behaves as empty.</summary>
        private T[] Items => items ?? Array.Empty<T>();

        public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            int hash = 17;
            foreach (T item in Items) hash = unchecked((hash * 31) + (item?.GetHashCode() ?? 0));
            return hash;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }

    internal static class EquatableArray
    {
        public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items)
            where T : IEquatable<T> => new(items);
    }
}
