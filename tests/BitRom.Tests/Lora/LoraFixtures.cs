using BitRom.Model.Architectures;
using BitRom.Model.Lora;
using BitRom.Model.Synthetic;
using BitRom.Hardware.Components;
using BitRom.Hardware.Mapping;
using BitRom.Hardware.Mask;

namespace BitRom.Tests.Lora;

/// <summary>Seeded adapters at a model's shapes, and a fingerprint of the ROM contents (every ternary matrix).</summary>
internal static class LoraFixtures
{
    /// <summary>Adapter tensors for <paramref name="targets"/> of every layer: A ~ U(−a, a), B ~ U(−b, b) (b = 0 gives B = 0).</summary>
    public static List<LoraTensor> Tensors(ModelConfig c, int rank, ulong seed, float aRange, float bRange, params LoraTarget[] targets)
    {
        var rng = SplitMix64.ForStream(seed, "lora");
        var list = new List<LoraTensor>();
        for (int l = 0; l < c.Layers; l++)
        {
            foreach (LoraTarget t in targets.Length > 0 ? targets : LoraTargets.Default)
            {
                (int k, int n) = LoraAdapter.ShapeOf(c, t);
                string path = LoraTargets.HfModulePath(l, t);
                list.Add(new LoraTensor(path + ".lora_a", [k, rank], Uniform(ref rng, k * rank, aRange)));
                list.Add(new LoraTensor(path + ".lora_b", [rank, n], Uniform(ref rng, rank * n, bRange)));
            }
        }
        return list;
    }

    public static LoraAdapter Adapter(string name, ModelConfig c, ulong seed, LoraQuantization q, float bRange = 0.05f, int rank = 4) =>
        LoraAdapter.FromTensors(name, Tensors(c, rank, seed, 0.1f, bRange), new LoraOptions { Alpha = 8, Quantization = q }).Validate(c);

    private static float[] Uniform(ref SplitMix64 rng, int n, float range)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (rng.NextFloat() * 2 - 1) * range;
        return v;
    }

    /// <summary>The ROM contents: the model hash of every ternary matrix and the checksum of the compiled mask image.</summary>
    public static string RomFingerprint(ModelWeights w)
    {
        var matrices = w.TernaryMatrices.ToList();
        using var mask = new MemoryStream();
        MaskImage.Write(RomImage.Compile(matrices, ChipConfig.Default), mask);
        byte[] all = mask.ToArray();
        return Convert.ToHexString(RomImage.HashModel(matrices)) + "/" + Convert.ToHexString(all.AsSpan(all.Length - MaskImage.ChecksumBytes));
    }
}
