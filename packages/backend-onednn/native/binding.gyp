{
  "targets": [
    {
      "target_name": "onednn_addon",
      "sources": ["onednn_addon.cc", "elementwise.cc", "layout_ops.cc", "reduce.cc", "pooling.cc", "batch_norm.cc", "depthwise.cc", "exp_avx2.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fopenmp", "-ffp-contract=off", "-fno-math-errno"],
      "libraries": ["-ldnnl", "-fopenmp"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
