{
  "targets": [
    {
      "target_name": "untangle_kernels",
      "sources": [
        "native/addon.c",
        "native/gemm.c",
        "native/gemm_x86.c",
        "native/kernels.c",
        "native/sparse.c",
        "native/topk.c",
        "native/mixture.c",
        "native/layernorm.c",
        "native/vecmath.c",
        "native/threadpool.c"
      ],
      "cflags": ["-O3", "-std=gnu11", "-fno-math-errno", "-fvisibility=hidden", "-Wall", "-Wno-unused-function"],
      "libraries": ["-lpthread", "-lm"],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-O3", "-std=gnu11", "-fno-math-errno"]
      }
    }
  ]
}
