namespace Dockerless.Build.Publishing;

/// <summary>A container property or item has a value that cannot be used; the message names it.</summary>
public sealed class ContainerSettingsException : DockerlessException
{
    /// <summary>Creates the exception with a message naming the property and its value.</summary>
    public ContainerSettingsException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public ContainerSettingsException(string message, Exception? innerException) : base(message, innerException) { }
}
