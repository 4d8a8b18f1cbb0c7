namespace Dockerless;

/// <summary>Looking through an exception and the exceptions that caused it.</summary>
internal static class ExceptionChain
{
    /// <summary>The first <typeparamref name="T"/> among <paramref name="e"/> and its inner exceptions, or null.</summary>
    public static T? Find<T>(this Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }
}
