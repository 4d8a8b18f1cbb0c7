using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Dockerless.Manifests;

/// <summary>
/// A dictionary of a configuration that stamps each change made through it. It keeps the
/// dictionary it was made over, as <see cref="TrackedList{T}"/> keeps its list.
/// </summary>
internal sealed class TrackedDictionary<TKey, TValue>(IDictionary<TKey, TValue> items) : TrackedCollection, IDictionary<TKey, TValue>
    where TKey : notnull
{
    public TValue this[TKey key]
    {
        get => items[key];
        set { items[key] = value; Edited(); }
    }

    public ICollection<TKey> Keys => items.Keys;

    public ICollection<TValue> Values => items.Values;

    public int Count => items.Count;

    public bool IsReadOnly => items.IsReadOnly;

    public void Add(TKey key, TValue value) { items.Add(key, value); Edited(); }

    public void Add(KeyValuePair<TKey, TValue> item) { items.Add(item); Edited(); }

    public bool Remove(TKey key) => Edited(items.Remove(key));

    public bool Remove(KeyValuePair<TKey, TValue> item) => Edited(items.Remove(item));

    public void Clear() { items.Clear(); Edited(); }

    public bool ContainsKey(TKey key) => items.ContainsKey(key);

    public bool Contains(KeyValuePair<TKey, TValue> item) => items.Contains(item);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => items.TryGetValue(key, out value);

    public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) => items.CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
