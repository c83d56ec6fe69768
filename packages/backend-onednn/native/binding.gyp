{
  "targets": [
    {
      "target_name": "onednn_addon",
      "sources": ["onednn_addon.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions"],
      "libraries": ["-ldnnl"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
