namespace Greeting;

/// <summary>What both sample apps say.</summary>
public static class Greeter
{
    /// <summary>The greeting for <paramref name="name"/>.</summary>
    public static string Greet(string name) => $"Hello, {name}, from a Dockerless image";
}
