"""File-system side of Telaah: discovery of sources, atomic writes, tables on disk."""
