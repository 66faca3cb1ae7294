namespace Piramid.Terraform.Protocol.Hosting;

/// <summary>
/// The go-plugin handshake as Terraform runs it: a magic cookie in the environment says "started by Terraform",
/// <c>PLUGIN_PROTOCOL_VERSIONS</c> lists the versions it speaks, <c>PLUGIN_CLIENT_CERT</c> is its TLS client
/// certificate (AutoMTLS). The plugin answers with one stdout line.
/// </summary>
public static class Handshake
{
    /// <summary>The environment variable Terraform sets.</summary>
    public const string MagicCookieKey = "TF_PLUGIN_MAGIC_COOKIE";

    /// <summary>Terraform's magic cookie value (hashicorp/terraform internal/plugin6/serve.go).</summary>
    public const string MagicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

    /// <summary>The only plugin protocol version served.</summary>
    public const int ProtocolVersion = 6;

    /// <summary>go-plugin's own handshake version (the first field of the line).</summary>
    public const int CoreProtocolVersion = 1;

    /// <summary>
    /// Checks the environment; returns null when the plugin may start, else the reason it may not.
    /// </summary>
    public static string? Check(Func<string, string?> environment)
    {
        if (environment(MagicCookieKey) != MagicCookieValue)
        {
            return "This binary is a Terraform provider plugin. It is started by Terraform, not run directly: "
                + "see infra/terraform/README.md for how Terraform finds it.";
        }

        var versions = environment("PLUGIN_PROTOCOL_VERSIONS");
        if (versions is not null && !versions.Split(',').Select(v => v.Trim()).Contains(ProtocolVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            return $"Terraform offers plugin protocol versions '{versions}'; this provider speaks only {ProtocolVersion} (Terraform 1.0 or later).";
        }

        if (string.IsNullOrWhiteSpace(environment("PLUGIN_CLIENT_CERT")))
        {
            return "PLUGIN_CLIENT_CERT is not set: this provider only serves Terraform's mutual TLS (AutoMTLS).";
        }

        return null;
    }

    /// <summary>The line printed on stdout: <c>1|6|tcp|127.0.0.1:port|grpc|base64(DER cert) without padding</c>.</summary>
    public static string Line(int port, byte[] serverCertificateDer) =>
        FormattableString.Invariant($"{CoreProtocolVersion}|{ProtocolVersion}|tcp|127.0.0.1:{port}|grpc|{Convert.ToBase64String(serverCertificateDer).TrimEnd('=')}");
}
