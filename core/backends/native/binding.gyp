{
  "targets": [
    {
      "target_name": "bcl_onednn",
      "sources": ["src/onednn-addon.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-fopenmp", "-O2"],
      "libraries": ["-ldnnl", "-fopenmp"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
