"""Synthetic segments in the style of Indonesian interview answers, for benchmarks.

Benchmarks need thousands of distinct segments of realistic length (15-40 words) and register
(formal officials, colloquial citizens, regional particles), without shipping real interviews.
Sixty hand-written sentences are recombined with a fixed seed, so every run embeds the same
2,000 texts and timings are comparable across machines and commits.
"""

from __future__ import annotations

import random

SENTENCES = (
    "Pelayanan di kantor kecamatan sekarang jauh lebih cepat dibanding tahun lalu.",
    "Jujur aja ya, saya udah tiga kali bolak-balik ngurus KTP tapi belum jadi juga.",
    "Anggaran dana desa sering terlambat cair, jadi program posyandu ikut tertunda.",
    "Kami tidak pernah diajak musyawarah soal pembangunan jalan di RT kami.",
    "Petugasnya ramah sih, cuma sistem antreannya masih manual dan bikin capek.",
    "Menurut saya indikator kinerja itu cuma formalitas, yang penting laporan beres.",
    "Kalau ada keluhan, warga biasanya lapor lewat grup WhatsApp kelurahan.",
    "Sejak ada aplikasi pengaduan, respon dinas jadi lebih terukur dan bisa dipantau.",
    "Nggak tau deh Pak, mungkin karena kurang koordinasi antar OPD.",
    "Pak Lurah bilang dananya habis buat perbaikan balai desa.",
    "Informasi APBDes tidak pernah ditempel di papan pengumuman desa.",
    "Wah, kalau soal BPJS itu ribet banget, harus fotokopi berkali-kali.",
    "Pelatihan UMKM kemarin bermanfaat, tapi tindak lanjutnya nggak ada sama sekali.",
    "Ibu-ibu PKK yang paling aktif ngajak warga ikut kerja bakti tiap Minggu.",
    "Target capaian imunisasi tahun ini tercapai berkat kerja keras kader posyandu.",
    "Proses perizinan usaha memakan waktu sekitar empat belas hari kerja.",
    "Ya gitu lah Mas, dibilang online tapi tetap disuruh datang ke kantor.",
    "Pendamping PKH di sini cuma satu orang untuk tiga desa yang berjauhan.",
    "Kadang datanya nggak sinkron antara aplikasi pusat dan data di kabupaten.",
    "Kami sudah mengusulkan penambahan formasi pegawai, tetapi belum ada jawaban dari BKD.",
    "Blanko KTP sering kosong, jadi warga cuma dikasih surat keterangan dulu.",
    "Kalau listrik padam, server juga mati dan pelayanan berhenti total.",
    "Saya lihat pegawai yang muda-muda lebih cepat menguasai aplikasi baru.",
    "Yang senior masih banyak yang minta diajari berulang-ulang soal input data.",
    "Kepala dinas rutin turun ke lapangan untuk mengecek penyaluran bantuan.",
    "Supervisi dari provinsi biasanya cuma setahun sekali, itu pun singkat.",
    "Warga lansia sering kesulitan karena harus antre dari subuh.",
    "Kami menyediakan kursi roda dan loket khusus untuk disabilitas.",
    "Ruang tunggunya sempit, panas, kipasnya cuma satu yang nyala.",
    "Biaya akta kelahiran sebenarnya gratis, tapi masih ada oknum yang minta uang rokok.",
    "Setelah ada papan informasi biaya, pungutan liar itu berkurang banyak.",
    "SOP pelayanan sudah ada, tapi belum semua pegawai membaca dan menjalankannya.",
    "Pembagian tugas antarbidang kadang tumpang tindih, jadi saling lempar tanggung jawab.",
    "Rapat koordinasi bulanan membantu kami menyamakan data penerima bantuan.",
    "Kada papa lah, yang penting bantuannya sampai ke orang yang berhak.",
    "Ulun kada tahu jua, Nak, pokoknya disuruh datang ke balai desa.",
    "Kemarin saya nunggu hampir tiga jam, eh ternyata sistemnya lagi gangguan.",
    "Petugas verifikasi datang ke rumah dan mengecek kondisi tempat tinggal kami.",
    "Data penerima banyak yang ganda karena NIK-nya tercatat di dua kabupaten.",
    "Kami membuat inovasi jemput bola ke desa-desa terpencil pakai perahu.",
    "Laporan kinerja triwulan harus dikirim sebelum tanggal sepuluh setiap bulan berikutnya.",
    "Kalau nilai IKM turun, biasanya karena keluhan soal waktu tunggu.",
    "Saya rasa komitmen pimpinan itu kunci, kalau pimpinan serius semua ikut serius.",
    "Teman-teman rela lembur sampai malam menjelang batas finalisasi data.",
    "Honor kader itu kecil sekali, tapi mereka tetap semangat melayani.",
    "Kendaraan operasional cuma satu dan sering dipakai untuk keperluan lain.",
    "Sosialisasi program baru biasanya lewat surat edaran yang jarang dibaca warga.",
    "Masyarakat sekarang lebih kritis, sedikit-sedikit diviralkan di media sosial.",
    "Kami tidak bisa menjanjikan kapan kartu jadi karena blanko dari pusat terbatas.",
    "Saya puas sih, petugasnya sabar menjelaskan walaupun saya banyak tanya.",
    "Aplikasinya sering minta update, HP saya yang jadul nggak kuat.",
    "Ada warga yang tidak punya KTP sama sekali karena rumahnya jauh di pedalaman.",
    "Penilaian kinerja pegawai masih berdasarkan absensi, belum ke hasil kerja.",
    "Kadang atasan memberi instruksi lisan yang berbeda dengan aturan tertulis.",
    "Kami mencatat setiap pengaduan di buku register dan menindaklanjutinya dalam tiga hari.",
    "Operator desa sering ganti, jadi pelatihan harus diulang dari awal lagi.",
    "Tahun depan kami targetkan semua layanan administrasi bisa diakses dari desa.",
    "Terus terang, beban kerja staf di bidang ini sudah melebihi kapasitas.",
    "Bantuan sembako kemarin telat dua bulan, warga sampai bertanya-tanya terus.",
    "Alhamdulillah, sekarang antreannya pakai nomor, jadi lebih tertib.",
)

OPENERS = (
    "",
    "",
    "Iya, ",
    "Ya, ",
    "Hmm, ",
    "Begini, ",
    "Kalau menurut saya, ",
    "Jadi, ",
    "Sebenarnya ",
)
CLOSERS = (
    "",
    "",
    "",
    " Gitu, Pak.",
    " Begitu, Mbak.",
    " Itu saja sih.",
    " Ya kan?",
    " Kira-kira begitu.",
)


def interview_segments(n: int = 2000, seed: int = 20250114) -> list[str]:
    """``n`` distinct segments of 15-40 words, deterministic for a given seed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        parts = rng.sample(SENTENCES, rng.choice((1, 2, 2, 3)))
        opener = rng.choice(OPENERS)
        first = parts[0]
        if opener and not first[:2].isupper():  # "Iya, pelayanan..." but keep "SOP", "PKH"
            parts[0] = first[0].lower() + first[1:]
        text = opener + " ".join(parts) + rng.choice(CLOSERS)
        words = len(text.split())
        if 15 <= words <= 40 and text not in seen:
            seen.add(text)
            out.append(text)
    return out
