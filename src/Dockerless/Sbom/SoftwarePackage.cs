namespace Dockerless.Sbom;

/// <summary>A package found in an image's files.</summary>
/// <param name="Type">The package URL type: <c>deb</c>, <c>apk</c>, <c>nuget</c>, <c>npm</c> or <c>pypi</c>.</param>
/// <param name="Name">The package's name, as its database writes it.</param>
/// <param name="Version">The package's version, as its database writes it.</param>
/// <param name="Purl">The package URL (<c>pkg:deb/debian/libc6@2.36-9?arch=amd64&amp;distro=debian-12</c>).</param>
/// <param name="Location">The file it was found in, absolute in the image (<c>/var/lib/dpkg/status</c>).</param>
/// <param name="License">The license its database declares, if any.</param>
public sealed record SoftwarePackage(string Type, string Name, string Version, string Purl, string Location, string? License = null);
