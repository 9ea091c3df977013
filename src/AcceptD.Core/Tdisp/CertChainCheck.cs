namespace AcceptD.Core.Tdisp;

/// <summary>
/// Checks an SPDM slot chain, root first: the root is self-signed, each further certificate names and is signed by the
/// one before it, every certificate but the leaf is a CA (basicConstraints cA=TRUE, and keyCertSign when it has a
/// keyUsage), and the leaf's keyUsage allows digitalSignature (DSP0274 1.2 leaf certificate requirements).
/// </summary>
public static class CertChainCheck
{
    /// <summary>The leaf's fields when the chain holds, else null with the reason.</summary>
    public static CertificateFields? Leaf(SpdmCertChain chain, out string? error)
    {
        var certs = chain.Certificates;
        if (certs.Length < 2)
        {
            error = "cert chain: a root and a leaf are needed, the chain holds 1 certificate";
            return null;
        }
        if (CertificateSignature.Check(certs[0].AsSpan(), certs[0].AsSpan()) is { } rootError)
        {
            error = $"cert chain: root is not self-signed: {rootError}";
            return null;
        }
        for (var i = 1; i < certs.Length; i++)
        {
            if (CertificateSignature.Check(certs[i].AsSpan(), certs[i - 1].AsSpan()) is { } linkError)
            {
                error = $"cert chain: certificate {i}: {linkError}";
                return null;
            }
        }
        CertificateFields? fields = null;
        for (var i = 0; i < certs.Length; i++)
        {
            fields = CertificateFields.Read(certs[i].AsSpan()); // readable: the signature checks above parsed it
            var name = CertificateSignature.Name(fields.Subject);
            var isLeaf = i == certs.Length - 1;
            if (!isLeaf && !fields.IsCa)
            {
                error = $"cert chain: certificate {i} '{name}' issues certificates but is not a CA (basicConstraints cA is not TRUE)";
                return null;
            }
            if (!isLeaf && fields.KeyUsage is { } caUsage && (caUsage & CertificateFields.KeyCertSign) == 0)
            {
                error = $"cert chain: certificate {i} '{name}' issues certificates but its keyUsage lacks keyCertSign";
                return null;
            }
            if (isLeaf && (fields.KeyUsage ?? 0) is var usage && (usage & CertificateFields.DigitalSignature) == 0)
            {
                error = $"cert chain: leaf '{name}' " + (fields.KeyUsage is null ? "has no keyUsage" : "keyUsage lacks digitalSignature");
                return null;
            }
        }
        error = null;
        return fields;
    }
}
