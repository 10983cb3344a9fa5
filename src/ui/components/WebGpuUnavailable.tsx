interface Props {
  reason: string;
}

/** Full page shown when WebGPU cannot be used, saying why and how to enable it. */
export function WebGpuUnavailable({ reason }: Props) {
  return (
    <main className="unsupported" data-testid="webgpu-unavailable">
      <h1>WebGPU is unavailable</h1>
      <p>
        This workbench runs its simulations on the GPU through WebGPU, and this browser did not give it a GPU.
      </p>
      <p className="reason" data-testid="webgpu-reason">
        {reason}
      </p>
      <h2>How to enable it</h2>
      <ul>
        <li>Use a recent Chrome or Edge (version 113 or later), or Firefox or Safari with WebGPU enabled.</li>
        <li>
          On Linux, Chrome may need <code>chrome://flags/#enable-unsafe-webgpu</code> set to Enabled (and
          Vulkan drivers installed).
        </li>
        <li>
          Open the page over <code>https://</code> or from <code>localhost</code>: WebGPU needs a secure
          context.
        </li>
        <li>
          Turn on hardware acceleration (Chrome: Settings → System → “Use graphics acceleration when
          available”), then restart the browser.
        </li>
        <li>
          Check <code>chrome://gpu</code>: the “WebGPU” line should read “Hardware accelerated”.
        </li>
      </ul>
    </main>
  );
}
