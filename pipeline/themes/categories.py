"""The default taxonomy of obstacles, efforts and supporting factors in public-service studies.

Drawn from how Indonesian theses on aparatur performance group hambatan (internal: staff,
skills, budget, facilities, discipline, technology; external: citizens, village officers, data,
regulation, geography, other agencies), upaya and faktor pendukung. Labels are in Indonesian
because they go straight into the report. Keywords are comma-separated, whole words unless
starred (see :class:`~pipeline.themes.taxonomy.Category`), and include the normalised forms
the segmenter produces ("error" -> "galat", "online" -> "daring").
"""

from __future__ import annotations

from pipeline.themes.taxonomy import Category, ScopeHint, Taxonomy, ThemeFunction


def _c(
    id: str,
    function: ThemeFunction,
    label: str,
    keywords: str,
    scope: ScopeHint | None = None,
    answers: str = "",
) -> Category:
    words = tuple(k.strip() for k in keywords.split(",") if k.strip())
    return Category(id, function, label, words, scope, tuple(answers.split()))


_OBSTACLES = (
    _c(
        "sdm",
        "obstacle",
        "Keterbatasan sumber daya manusia (jumlah pegawai dan beban kerja)",
        "pegawai, petugas, staf, staff, personil, personel, sdm, sumber daya manusia, tenaga, "
        "*rangkap*, beban kerja, honorer, pensiun, formasi, kekurangan orang, pendamping, "
        "operator, satu orang, dua orang, kewalahan",
        "internal",
    ),
    _c(
        "kompetensi",
        "obstacle",
        "Kompetensi dan keterampilan aparatur",
        "kemampuan, keterampilan, kompetensi, keahlian, menguasai, gaptek, pelatihan, bimtek, "
        "latar belakang, pendidikan, belum paham aplikasi, belum terlatih, pengalaman",
        "internal",
    ),
    _c(
        "anggaran",
        "obstacle",
        "Keterbatasan anggaran",
        "anggaran, dana, biaya, pagu, keuangan, honor, honorarium, insentif, operasional, apbd, "
        "dak, refocusing, pencairan, *anggaran*",
        "internal",
    ),
    _c(
        "sarana",
        "obstacle",
        "Keterbatasan sarana dan prasarana",
        "sarana, prasarana, fasilitas, peralatan, alat, komputer, laptop, printer, kendaraan, "
        "motor, mobil, ruang, ruangan, gedung, blanko, tinta, mesin, kursi, pipa",
        "internal",
    ),
    _c(
        "disiplin",
        "obstacle",
        "Disiplin dan komitmen pegawai",
        "disiplin, absen, bolos, malas, motivasi, semangat, komitmen, jam kerja, tidak hadir, "
        "datang terlambat, pulang cepat, kurang aktif, tidak aktif",
        "internal",
    ),
    _c(
        "teknologi",
        "obstacle",
        "Gangguan teknologi, aplikasi dan jaringan",
        "jaringan, sinyal, internet, aplikasi, sistem, server, online, daring, error, galat, "
        "gangguan, listrik, website, siks-ng, siks, down, lemot, offline, luring, modem, wifi",
        "internal",
    ),
    _c(
        "koordinasi",
        "obstacle",
        "Koordinasi dengan instansi lain",
        "*koordinasi*, instansi lain, dinas lain, lintas sektor, tumpang tindih, ego sektoral, "
        "pusat, provinsi, kementerian, kementrian, antarinstansi, sinkron",
        "external",
    ),
    _c(
        "masyarakat",
        "obstacle",
        "Pemahaman dan partisipasi masyarakat",
        "*paham*, mengerti, kesadaran, partisipasi, antusias, swadaya, tidak tahu, acuh, "
        "peduli, marah, protes, menolak, kurang mendukung, salah paham, enggan",
        "external",
    ),
    _c(
        "data",
        "obstacle",
        "Data penerima yang tidak akurat atau berubah-ubah",
        "data, dtks, nik, *validasi*, *verifikasi*, ganda, tidak sesuai, berubah, berubah-ubah, "
        "pemutakhiran, update, perbarui, meninggal, pindah, salah sasaran, tidak tepat sasaran",
        "external",
    ),
    _c(
        "regulasi",
        "obstacle",
        "Regulasi, prosedur dan kebijakan",
        "aturan, regulasi, peraturan, juknis, petunjuk teknis, prosedur, sop, birokrasi, "
        "persyaratan, syarat, berbelit, rumit, kebijakan, perubahan kebijakan",
        "external",
    ),
    _c(
        "geografis",
        "obstacle",
        "Kondisi geografis dan jarak",
        "jarak, jauh, terpencil, pulau, akses, jalan rusak, transportasi, cuaca, hujan, gunung, "
        "pegunungan, pesisir, berjauhan, pelosok",
        "external",
    ),
    _c(
        "aparat_desa",
        "obstacle",
        "Kapasitas aparat dan operator desa",
        "operator desa, aparat desa, perangkat desa, kepala desa, kades, sekdes, rt, rw, kader, "
        "pemerintah desa",
        "external",
    ),
)

_EFFORTS = (
    _c(
        "sosialisasi",
        "effort",
        "Sosialisasi dan edukasi kepada masyarakat",
        "*sosialisasi*, penyuluhan, edukasi, *jelaskan*, pemahaman, informasi, pengumuman, "
        "media sosial, spanduk, brosur, baliho",
        answers="masyarakat regulasi",
    ),
    _c(
        "koordinasi",
        "effort",
        "Koordinasi dengan pihak terkait",
        "*koordinasi*, rapat, musyawarah, kerja sama, kerjasama, bersurat, forum, komunikasi, "
        "bekerja sama",
        answers="koordinasi aparat_desa data",
    ),
    _c(
        "monev",
        "effort",
        "Monitoring dan evaluasi",
        "monitoring, *evaluasi*, monev, pengawasan, *awasi*, supervisi, memantau, pemantauan, "
        "turun ke lapangan, kontrol, mengecek",
        answers="disiplin aparat_desa kompetensi",
    ),
    _c(
        "pelatihan",
        "effort",
        "Pelatihan dan peningkatan kapasitas",
        "pelatihan, bimtek, bimbingan teknis, diklat, workshop, pembinaan, *bina*, "
        "peningkatan kapasitas, belajar, kursus, *latih*, training",
        answers="kompetensi aparat_desa teknologi",
    ),
    _c(
        "penambahan_pegawai",
        "effort",
        "Penambahan dan penataan pegawai",
        "menambah pegawai, penambahan pegawai, tambah petugas, menambah petugas, *rekrut*, "
        "honorer, formasi, tenaga tambahan, pembagian tugas, relawan, tenaga kontrak, "
        "penambahan personil",
        answers="sdm",
    ),
    _c(
        "layanan_digital",
        "effort",
        "Layanan daring dan digitalisasi",
        "online, daring, aplikasi, website, digital, *digitalisasi*, whatsapp, grup, "
        "sistem informasi, pendaftaran online",
        answers="geografis sdm teknologi",
    ),
    _c(
        "verifikasi_data",
        "effort",
        "Verifikasi dan pemutakhiran data",
        "*verifikasi*, *validasi*, pemutakhiran, pendataan, update data, perbarui, cek data, "
        "sinkronisasi, musdes, musyawarah desa, data ulang",
        answers="data",
    ),
    _c(
        "jemput_bola",
        "effort",
        "Layanan jemput bola ke masyarakat",
        "jemput bola, *datangi*, door to door, turun langsung, keliling, pelayanan keliling, "
        "kunjungan rumah, home visit, ke rumah",
        answers="geografis masyarakat",
    ),
    _c(
        "anggaran",
        "effort",
        "Pengusulan dan efisiensi anggaran",
        "usulan anggaran, *usulkan*, tambahan anggaran, efisiensi, penghematan, prioritas, "
        "swadaya, anggaran, dana",
        answers="anggaran sarana",
    ),
    _c(
        "disiplin",
        "effort",
        "Penegakan disiplin dan pemberian motivasi",
        "teguran, *tegur*, sanksi, absensi, finger, fingerprint, apel, reward, penghargaan, "
        "motivasi",
        answers="disiplin",
    ),
    _c(
        "sarana",
        "effort",
        "Perbaikan dan penambahan sarana serta jaringan",
        "pengadaan, perbaikan, *perbaiki*, penambahan alat, menambah komputer, genset, "
        "peralatan baru, sarana, modem, *cadangan, jaringan baru, wifi, provider",
        answers="sarana teknologi",
    ),
)

_SUPPORTING = (
    _c(
        "pimpinan",
        "supporting_factor",
        "Dukungan dan arahan pimpinan",
        "pimpinan, kepala dinas, kadis, atasan, bupati, walikota, camat, arahan, komitmen pimpinan",
    ),
    _c(
        "sarana",
        "supporting_factor",
        "Sarana dan prasarana yang memadai",
        "sarana, prasarana, fasilitas, peralatan, kendaraan, gedung, ruang tunggu, komputer",
    ),
    _c(
        "sistem_informasi",
        "supporting_factor",
        "Sistem informasi dan aplikasi",
        "aplikasi, sistem, online, daring, jaringan, internet, terintegrasi, siks-ng, siks, "
        "database",
    ),
    _c(
        "masyarakat",
        "supporting_factor",
        "Partisipasi dan dukungan masyarakat",
        "masyarakat, warga, antusias, partisipasi, swadaya, gotong royong, tokoh",
    ),
    _c(
        "kerja_sama",
        "supporting_factor",
        "Kerja sama antarinstansi",
        "kerja sama, kerjasama, *koordinasi*, kemitraan, lintas sektor, mitra",
    ),
    _c(
        "kompetensi",
        "supporting_factor",
        "Pegawai yang kompeten dan kompak",
        "pengalaman, kompeten, terlatih, berpengalaman, sarjana, solid, kompak, kekompakan, tim",
    ),
    _c(
        "regulasi",
        "supporting_factor",
        "Regulasi dan pedoman yang jelas",
        "juknis, pedoman, sop, aturan, regulasi, petunjuk, payung hukum",
    ),
    _c(
        "anggaran",
        "supporting_factor",
        "Ketersediaan anggaran",
        "anggaran, dana, apbd, bantuan",
    ),
)

DEFAULT_TAXONOMY = Taxonomy(
    id="telaah-default", version="1", categories=_OBSTACLES + _EFFORTS + _SUPPORTING
)
