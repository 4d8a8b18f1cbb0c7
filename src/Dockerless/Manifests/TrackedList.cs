using System.Collections;

namespace Dockerless.Manifests;

/// <summary>
/// A list of a configuration that stamps each change made through it. It keeps the list it was
/// made over, as a property keeps the list it is set to: changes made to that list directly are not
/// stamped, but setting the property was, so the configuration counts as edited from then on anyway.
/// </summary>
internal sealed class TrackedList<T>(IList<T> items) : TrackedCollection, IList<T>, IReadOnlyList<T>
{
    /// <summary>An empty list.</summary>
    public TrackedList()
        : this([])
    {
    }

    public T this[int index]
    {
        get => items[index];
        set { items[index] = value; Edited(); }
    }

    public int Count => items.Count;

    public bool IsReadOnly => items.IsReadOnly;

    public void Add(T item) { items.Add(item); Edited(); }

    public void Insert(int index, T item) { items.Insert(index, item); Edited(); }

    public bool Remove(T item) => Edited(items.Remove(item));

    public void RemoveAt(int index) { items.RemoveAt(index); Edited(); }

    public void Clear() { items.Clear(); Edited(); }

    public bool Contains(T item) => items.Contains(item);

    public int IndexOf(T item) => items.IndexOf(item);

    public void CopyTo(T[] array, int arrayIndex) => items.CopyTo(array, arrayIndex);

    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
