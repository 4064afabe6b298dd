"""Data-parallel training under ``torchrun`` / ``accelerate launch`` (or one process without them).

The launchers start one process per GPU (or CPU worker) and set ``WORLD_SIZE``, ``RANK``
and ``LOCAL_RANK``; this module joins the process group (NCCL on GPUs, Gloo on CPUs),
places each process on its GPU and wraps the model in ``DistributedDataParallel``, which
averages gradients across processes. Without a launcher it changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Process:
    world_size: int = 1
    rank: int = 0
    device: str = "cpu"

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def setup_process(device: str) -> Process:
    """This process's place in the job; joins the process group when a launcher started several."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if world_size == 1:
        return Process(device=device)
    import torch.distributed as dist

    if device.startswith("cuda"):
        device = f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}"
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
    return Process(world_size=world_size, rank=dist.get_rank(), device=device)


def wrap(model: torch.nn.Module, process: Process) -> torch.nn.Module:
    if process.world_size == 1:
        return model
    from torch.nn.parallel import DistributedDataParallel

    return DistributedDataParallel(model, device_ids=[process.device] if process.device.startswith("cuda") else None)


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    return getattr(model, "module", model)


def barrier(process: Process) -> None:
    if process.world_size > 1:
        import torch.distributed as dist

        dist.barrier()


@contextmanager
def main_first(process: Process) -> Iterator[None]:
    """Rank 0 runs the block first (building a cache, say); the others run it after, finding it built."""
    if not process.is_main:
        barrier(process)
    yield
    if process.is_main:
        barrier(process)


def finish() -> None:
    """Leave the process group, if this process joined one."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
